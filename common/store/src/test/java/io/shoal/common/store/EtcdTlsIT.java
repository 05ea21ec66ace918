package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.ClusterTrustManager;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.TlsRefusals;
import io.shoal.testing.EtcdExtension.OwnEtcd;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.TestPki;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real etcd with {@code --client-cert-auth} on https: a client with a certificate of the
 * cluster's CA reads and writes; one without a certificate, one from another CA and one with an
 * expired certificate are refused in the handshake.
 */
class EtcdTlsIT {
  @TempDir static Path dir;
  static TestPki pki;
  static OwnEtcd etcd;

  @BeforeAll
  static void startEtcd() {
    pki = TestPki.create(dir.resolve("cluster"));
    etcd = EtcdExtension.startTls("127.0.0.1", pki.issue("etcd", Role.MANAGER, "127.0.0.1"));
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  @Test
  void aClientWithAClusterCertificateReadsAndWrites() throws Exception {
    String root = "/etcd-tls-it/" + ProcessHandle.current().pid() + "/";
    try (EtcdStore store = EtcdStore.connect(etcd.endpoints(), root,
        Optional.of(pki.issue("control", Role.MANAGER))).writingAs(Writer.CONTROL)) {
      store.txn().putBytes("services/s1", "spec".getBytes(UTF_8), 0).commit();
      assertThat(store.client().getKVClient().get(store.key("services/s1")).get(30, TimeUnit.SECONDS)
          .getKvs().get(0).getValue().toString(UTF_8)).isEqualTo("spec");
      store.txn().deleteString("services/s1", "spec").commit();
    }
  }

  /** A client refused at the TLS layer: its first call fails, with nothing retried. */
  private static void assertRefused(SslContext context) {
    try (Client client = Client.builder().endpoints(etcd.endpoints()).sslContext(context)
        .waitForReady(false).retryMaxAttempts(0).build()) {
      assertThatThrownBy(() -> client.getKVClient().get(ByteSequence.from("/x", UTF_8)).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
    }
  }

  /** Trusts this cluster's etcd, presenting {@code certDir}'s certificate (none if empty). */
  private static SslContext trustingEtcd(Optional<Path> certDir) throws Exception {
    SslContextBuilder builder = SslContextBuilder.forClient().protocols(ClusterTls.PROTOCOL)
        .trustManager(new ClusterTrustManager(pki.ca().root(), Optional.empty(), Clock.systemUTC(), TlsRefusals.NONE));
    if (certDir.isPresent()) {
      builder.keyManager(new ReloadableKeyManager(new CertDirectory(certDir.get()).read().credentials()));
    }
    return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
  }

  @Test
  void theClientRunsOnBoringSsl() {
    // The JDK's TLS is the fallback for platforms without the native library, not this one.
    assertThat(EtcdTls.provider()).isEqualTo(io.netty.handler.ssl.SslProvider.OPENSSL);
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    assertRefused(trustingEtcd(Optional.empty()));
  }

  @Test
  void aClientWithACertificateOfAnotherCaIsRefused() throws Exception {
    assertRefused(trustingEtcd(Optional.of(TestPki.create(dir.resolve("other")).issue("control", Role.MANAGER))));
  }

  @Test
  void aClientWithAnExpiredCertificateIsRefused() throws Exception {
    assertRefused(trustingEtcd(Optional.of(pki.issueExpired("old", Role.MANAGER))));
  }

  @Test
  void httpsEndpointsWithoutACertificateAreRefusedSayingWhatToGive() {
    assertThatThrownBy(() -> new StoreConfig(etcd.endpoints(), "/x/", Writer.CONTROL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd endpoints " + etcd.endpoints() + " are https, but nothing gives this service a"
            + " certificate for etcd: give --etcd-cert-dir DIR or --cert-dir DIR");
  }
}
