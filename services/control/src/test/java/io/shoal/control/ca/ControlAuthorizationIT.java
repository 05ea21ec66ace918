package io.shoal.control.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.ClusterTrustManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.TlsRefusals;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.ListServicesRequest;
import io.shoal.common.server.tls.ServerAuthorization;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control's port as control serves it: a client without a certificate gets through TLS (to join)
 * and nothing else; a worker's certificate may not call the ControlService; a manager's may.
 */
class ControlAuthorizationIT {
  @Test
  void aClientWithoutACertificateGetsUnauthenticatedWithTheReasonAndAMemberGetsAnswers(@TempDir Path dir)
      throws Exception {
    TestPki pki = TestPki.create(dir);
    ServiceTls control = ServiceTls.fromDirectory(pki.issue("control", Role.MANAGER));
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", ExternalProcess.freePort());
    try (Telemetry telemetry = Telemetry.noop();
        GrpcServer grpc = GrpcServer.start("control", List.of(address),
            List.of(new ControlServiceGrpc.ControlServiceImplBase() { }), telemetry, control,
            control.serverContextAcceptingJoins(), ServerAuthorization.interceptors(control, CaGrpcService.rules()
                .allow(ControlServiceGrpc.SERVICE_NAME, Role.MANAGER), Set.of("removed1")::contains, telemetry,
                "shoal-control"))) {
      SslContextBuilder anonymous = SslContextBuilder.forClient().protocols(ClusterTls.PROTOCOL)
          .trustManager(new ClusterTrustManager(pki.ca().root(), Optional.of(Role.MANAGER), Clock.systemUTC(),
              TlsRefusals.NONE));
      ManagedChannel stranger = NettyChannelBuilder.forAddress(address)
          .sslContext(GrpcSslContexts.configure(anonymous, SslProvider.JDK).build()).build();
      try {
        assertThatThrownBy(() -> HealthGrpc.newBlockingStub(stranger).check(HealthCheckRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).startsWith("grpc.health.v1.Health/Check needs a certificate"
                  + " of this cluster");
            });
      } finally {
        stranger.shutdownNow();
      }

      ManagedChannel admin = ServiceTls.fromDirectory(pki.issue("admin", Role.MANAGER)).channelTo(address).build();
      ManagedChannel worker = ServiceTls.fromDirectory(pki.issue("worker1", Role.WORKER)).channelTo(address).build();
      ManagedChannel removed = ServiceTls.fromDirectory(pki.issue("removed1", Role.WORKER)).channelTo(address).build();
      try {
        assertThat(HealthGrpc.newBlockingStub(admin).check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        // Past authorization: the bare service answers UNIMPLEMENTED.
        assertThatThrownBy(() -> ControlServiceGrpc.newBlockingStub(admin).listServices(
                ListServicesRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        assertThatThrownBy(() -> ControlServiceGrpc.newBlockingStub(worker).createService(
                CreateServiceRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).isEqualTo("a worker certificate (worker1) may not call"
                  + " shoal.v1.ControlService/CreateService: it is for managers (the control plane and the CLI)");
            });
        assertThatThrownBy(() -> HealthGrpc.newBlockingStub(removed).check(HealthCheckRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
      } finally {
        admin.shutdownNow();
        worker.shutdownNow();
        removed.shutdownNow();
      }
    }
  }
}
