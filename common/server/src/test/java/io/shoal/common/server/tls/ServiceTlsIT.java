package io.shoal.common.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.TlsRefusals;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's gRPC server and its channels to other services, from certificate directories. */
class ServiceTlsIT {
  @TempDir Path dir;

  private static HealthCheckResponse.ServingStatus health(ManagedChannel channel) {
    try {
      return HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aServerAndAClientOfOneCaSpeakMutualTlsAndOthersAreRefused() {
    TestPki pki = TestPki.create(dir.resolve("cluster"));
    TestPki other = TestPki.create(dir.resolve("other"));
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", ExternalProcess.freePort());
    ServiceTls server = ServiceTls.fromDirectory(pki.issue("dispatcher", Role.MANAGER));
    try (Telemetry telemetry = Telemetry.noop();
        GrpcServer grpc = GrpcServer.start("test", List.of(address), List.of(), telemetry, server)) {
      assertThat(health(ServiceTls.fromDirectory(pki.issue("node1", Role.WORKER)).channelTo(address).build()))
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      // No certificate at all: a plaintext client cannot even start HTTP/2 with a TLS server.
      assertThatThrownBy(() -> health(ServiceTls.insecure().channelTo(address).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      // A certificate from another CA, by a client that trusts this server: the server refuses it.
      ReloadableKeyManager foreign = new ReloadableKeyManager(
          new CertDirectory(other.issue("node1", Role.WORKER)).read().credentials());
      assertThatThrownBy(() -> health(NettyChannelBuilder.forAddress(address)
          .sslContext(ClusterTls.client(foreign, pki.ca().root(), Optional.of(Role.MANAGER), TlsRefusals.NONE))
          .build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(server.refusals().count(TlsRefusals.Reason.UNTRUSTED)).isEqualTo(1);
    }
  }

  @Test
  void aClientAcceptsOnlyAManagersServer() {
    TestPki pki = TestPki.create(dir);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", ExternalProcess.freePort());
    try (Telemetry telemetry = Telemetry.noop();
        GrpcServer grpc = GrpcServer.start("test", List.of(address), List.of(), telemetry,
            ServiceTls.fromDirectory(pki.issue("node1", Role.WORKER)))) {
      ServiceTls client = ServiceTls.fromDirectory(pki.issue("control", Role.MANAGER));
      assertThatThrownBy(() -> health(client.channelTo(address).build()))
          .isInstanceOf(StatusRuntimeException.class);
      assertThat(client.refusals().count(TlsRefusals.Reason.WRONG_ROLE)).isEqualTo(1);
    }
  }

  @Test
  void withoutCertDirOrInsecureAServiceRefusesToStartSayingWhatToDo() {
    assertThatThrownBy(() -> new TlsOptions().tls())
        .isInstanceOf(CannotStartException.class)
        .hasMessage("no TLS certificate: give --cert-dir DIR (or SHOAL_CERT_DIR) holding ca.pem, cert.pem and"
            + " key.pem from `shoal-control ca issue`, or --insecure to run without TLS");
    TlsOptions missing = new TlsOptions();
    missing.certDir = dir.resolve("absent");
    assertThatThrownBy(missing::tls)
        .isInstanceOf(CannotStartException.class)
        .hasMessage(dir.resolve("absent") + " does not hold ca.pem, cert.pem and key.pem: issue them with"
            + " `shoal-control ca issue --out " + dir.resolve("absent") + "`");
    TlsOptions insecure = new TlsOptions();
    insecure.insecure = true;
    assertThat(insecure.tls().enabled()).isFalse();
  }

  @Test
  void anExpiredCertificateStopsTheStartNamingItsFile() {
    Path expired = TestPki.create(dir).issueExpired("control", Role.MANAGER);
    assertThatThrownBy(() -> ServiceTls.fromDirectory(expired))
        .isInstanceOf(CannotStartException.class)
        .hasMessageStartingWith(expired.resolve("cert.pem") + ": ")
        .hasMessageContaining("expired at");
  }
}
