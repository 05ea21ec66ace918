package io.shoal.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every service's server: health, reflection, and gRPC metrics on /metrics. */
class GrpcServerTelemetryIT {
  @Test
  void servesHealthReflectionAndPrometheusMetrics() throws Exception {
    int metricsPort = ExternalProcess.freePort();
    try (Telemetry telemetry = Telemetry.start("test-service", "127.0.0.1", metricsPort);
        GrpcServer server = GrpcServer.start("test", new InetSocketAddress("127.0.0.1", 0), List.of(), telemetry)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<ServerReflectionResponse> listed = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> reflection = ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(new StreamObserver<>() {
              @Override public void onNext(ServerReflectionResponse r) { listed.complete(r); }
              @Override public void onError(Throwable t) { listed.completeExceptionally(t); }
              @Override public void onCompleted() {}
            });
        reflection.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        assertThat(listed.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
            .anySatisfy(s -> assertThat(s.getName()).isEqualTo("grpc.health.v1.Health"));
        reflection.onCompleted();

        // The same through v1alpha, which some tools ask for only.
        CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> alpha = new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> alphaReflection =
            io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
              @Override public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse r) { alpha.complete(r); }
              @Override public void onError(Throwable t) { alpha.completeExceptionally(t); }
              @Override public void onCompleted() {}
            });
        alphaReflection.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        assertThat(alpha.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
            .anySatisfy(s -> assertThat(s.getName()).isEqualTo("grpc.health.v1.Health"));
        alphaReflection.onCompleted();
      } finally {
        channel.shutdownNow();
      }

      HttpResponse<String> metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("grpc_server_call_duration").contains("grpc.health.v1.Health/Check");
    }
  }
}
