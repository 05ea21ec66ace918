package io.shoal.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A service on several addresses at once: loopback for the CLI, a lab bridge for the hosts. */
class GrpcServerListenIT {
  @Test
  void listensOnEveryAddressOfACommaSeparatedList() throws Exception {
    int port = ExternalProcess.freePort();
    ServerOptions options = new ServerOptions();
    options.listen = "127.0.0.1:" + port + ", 127.0.0.2:" + port;
    List<InetSocketAddress> addresses = options.listenAddresses("127.0.0.1:1");
    assertThat(addresses).extracting(InetSocketAddress::getHostString).containsExactly("127.0.0.1", "127.0.0.2");

    try (Telemetry telemetry = Telemetry.start("test-service", "127.0.0.1", 0);
        GrpcServer server = GrpcServer.start("test", addresses, List.of(), telemetry)) {
      for (String host : List.of("127.0.0.1", "127.0.0.2")) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
          assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
              .as("health on %s:%d", host, port)
              .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
          channel.shutdownNow();
        }
      }
    }
  }

  @Test
  void withoutListenTheDefaultIsTheOnlyAddress() {
    assertThat(new ServerOptions().listenAddresses("127.0.0.1:7400"))
        .containsExactly(new InetSocketAddress("127.0.0.1", 7400));
  }

  @Test
  void anEmptyEntryIsRefusedWithTheInput() {
    assertThatThrownBy(() -> ServerOptions.parseHostPorts("127.0.0.1:7400,"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected host:port");
  }
}
