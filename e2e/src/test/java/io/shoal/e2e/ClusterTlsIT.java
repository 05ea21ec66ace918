package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.shoal.api.v1.GetPullCredentialsRequest;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRequest;
import io.shoal.common.pki.CertificateSpec;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.ClusterJoin;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.ClusterTrustManager;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.JoinTokens;
import io.shoal.common.pki.Keys;
import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.RootCertificate;
import io.shoal.common.pki.TlsRefusals;
import io.shoal.control.ca.NodeCertificates;
import io.shoal.testing.Commands;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab.Host;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.TestPki;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster of real processes on a lab host, its parts speaking mutual TLS: a client with no
 * certificate, with one from another CA, or with an expired one from the cluster's own CA is
 * refused in the TLS handshake by the dispatcher and the registry service (control lets a client
 * without a certificate through the handshake, for joins to come, and refuses its every call);
 * the CLI with its admin certificate is served. Each client trusts the cluster's servers, so the
 * refusal is the server's.
 */
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTlsIT {
  private LocalCluster cluster;
  private Path dir;
  private RootCertificate root;

  // One cluster for the class (a cluster takes ~20 s to start); the removal of its node runs last.
  @BeforeAll
  void start(Lab lab) {
    cluster = new LocalCluster(lab, List.of(lab.hosts().get(0)));
    dir = ExternalProcess.tempDir("shoal-tls-it");
    root = new CertDirectory(Path.of(cluster.certs("cli"))).read().root();
    // Every server up and serving a member, so that a refusal below is the handshake's, not a closed port's.
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
      cluster.assertAlive();
      SslContext admin = client(Optional.of(Path.of(cluster.certs("cli"))));
      return List.of(cluster.dispatcherAddr, cluster.registryAddr, cluster.controlAddr).stream()
          .allMatch(target -> health(target, admin).isOk());
    });
  }

  @AfterAll
  void stop() {
    cluster.close();
    ExternalProcess.deleteTree(dir);
  }

  /** A client context that trusts this cluster's servers and presents {@code certDir}'s certificate, if any. */
  private SslContext client(Optional<Path> certDir) throws Exception {
    if (certDir.isPresent()) {
      return ClusterTls.client(new ReloadableKeyManager(new CertDirectory(certDir.get()).read().credentials()),
          root, Optional.of(Role.MANAGER), TlsRefusals.NONE);
    }
    SslContextBuilder anonymous = SslContextBuilder.forClient().protocols(ClusterTls.PROTOCOL)
        .trustManager(new ClusterTrustManager(root, Optional.of(Role.MANAGER), Clock.systemUTC(), TlsRefusals.NONE));
    return GrpcSslContexts.configure(anonymous, SslProvider.JDK).build();
  }

  private static Status health(String target, SslContext context) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).sslContext(context).build();
    try {
      HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    } finally {
      channel.shutdownNow();
    }
  }

  private void assertRefusedInTheHandshake(SslContext context, String why) {
    for (String target : List.of(cluster.dispatcherAddr, cluster.registryAddr, cluster.controlAddr)) {
      if (why.equals("no certificate") && target.equals(cluster.controlAddr)) {
        Status status = health(target, context);
        assertThat(status.getCode()).as("control, %s", why).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("needs a certificate of this cluster");
        continue;
      }
      Status status = health(target, context);
      assertThat(status.getCode()).as("%s, %s: %s", target, why, status).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    assertRefusedInTheHandshake(client(Optional.empty()), "no certificate");
  }

  @Test
  void aClientWithACertificateOfAnotherCaIsRefusedAndCounted() throws Exception {
    Path foreign = TestPki.create(dir.resolve("other-ca")).issue("admin", Role.MANAGER);
    assertRefusedInTheHandshake(client(Optional.of(foreign)), "another CA");
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.logs().contains("TLS handshake refused (UNTRUSTED)"));
  }

  @Test
  void aClientWithAnExpiredCertificateOfTheClustersCaIsRefusedAndCounted() throws Exception {
    Path expired = TestPki.of(ClusterCa.load(Path.of(cluster.certs("ca")), ClusterKey.fromFile(cluster.clusterKey())),
        dir.resolve("expired")).issueExpired("admin", Role.MANAGER);
    assertRefusedInTheHandshake(client(Optional.of(expired)), "expired");
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> cluster.logs().contains("TLS handshake refused (EXPIRED)"));
  }

  @Test
  void theCliIsServedWithItsCertificateAndSaysWhatIsMissingWithout() {
    cluster.awaitReadyNodes(Duration.ofSeconds(60));
    Commands.Result missing = cluster.shoalWith(Map.of("SHOAL_CERT_PATH", dir.resolve("none").toString()), null,
        "node", "ls");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr().strip()).startsWith("shoal: no TLS certificate for control: " + dir.resolve("none"));
  }

  @Test
  void aWorkersCertificateMayNotCallControlNorAskForAnotherNodesCredentials() throws Exception {
    cluster.awaitReadyNodes(Duration.ofSeconds(60));
    Host host = cluster.lab.hosts().get(0);
    Path worker = cluster.agentCerts(host);

    Commands.Result create = cluster.shoalWith(Map.of("SHOAL_CERT_PATH", worker.toString()), null,
        "service", "create", "--name", "intruder", "--no-resolve-image", "busybox:1");
    assertThat(create.exitCode()).isEqualTo(1);
    assertThat(create.stderr()).contains("a worker certificate (" + cluster.nodeId(host)
        + ") may not call shoal.v1.ControlService/CreateService");

    ManagedChannel channel = NettyChannelBuilder.forTarget(cluster.registryAddr)
        .sslContext(client(Optional.of(worker))).build();
    try {
      assertThatThrownBy(() -> RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
              .getPullCredentials(GetPullCredentialsRequest.newBuilder().setNodeId("othernode")
                  .setSessionSecret("guess").setTaskId("sometask").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).isEqualTo("the certificate of node " + cluster.nodeId(host)
                + " may not ask for the pull credentials of node othernode's tasks");
          });
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aRemovedNodesCertificateStopsWorkingAtOnceEverywhere() throws Exception {
    cluster.awaitReadyNodes(Duration.ofSeconds(60));
    Host host = cluster.lab.hosts().get(0);
    String nodeId = cluster.nodeId(host);
    SslContext removed = client(Optional.of(cluster.agentCerts(host)));
    assertThat(health(cluster.dispatcherAddr, removed).isOk()).isTrue();

    cluster.succeeded(cluster.shoal("node", "rm", "--force", nodeId));

    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> List.of(cluster.dispatcherAddr,
        cluster.registryAddr, cluster.controlAddr).stream()
        .allMatch(target -> health(target, removed).getCode() == Status.Code.PERMISSION_DENIED));
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> cluster.log("agent-" + host.name()).contains("node " + nodeId + " was removed from the cluster"));
    assertThat(cluster.shoal("node", "ls").stdout()).doesNotContain(nodeId);
  }

  @Test
  void aSchedulerJoinsWithTheManagerTokenAndNoControlPlanePartJoinsWithTheWorkers() throws Exception {
    String listen = cluster.lab.bridgeAddress() + ":" + ExternalProcess.freePort();
    Path joined = dir.resolve("scheduler-2");
    try (ExternalProcess standby = cluster.startExtraPart("scheduler-2", "io.shoal.scheduler.SchedulerMain",
        List.of("--listen", listen, "--cert-dir", joined.toString(), "--manager", cluster.controlAddr,
            "--join-token-file", cluster.tokenFile("manager").toString()))) {
      // Served with the certificate it joined for, and in the election over etcd with it.
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        assertThat(standby.isAlive()).as("scheduler-2 runs:\n%s", standby.tail()).isTrue();
        return health(listen, client(Optional.of(Path.of(cluster.certs("cli"))))).isOk()
            && cluster.log("scheduler-2").contains(" waits: ");
      });
      assertThat(cluster.log("scheduler-2")).contains("scheduler joined the cluster at " + cluster.controlAddr
          + " as manager");
      assertThat(new CertDirectory(joined).read().credentials().identity().role()).isEqualTo(Role.MANAGER);
    }

    Path refused = dir.resolve("dispatcher-2");
    try (ExternalProcess dispatcher = cluster.startExtraPart("dispatcher-2", "io.shoal.dispatcher.DispatcherMain",
        List.of("--listen", cluster.lab.bridgeAddress() + ":" + ExternalProcess.freePort(), "--cert-dir",
            refused.toString(), "--manager", cluster.controlAddr,
            "--join-token-file", cluster.tokenFile("worker").toString()))) {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !dispatcher.isAlive());
      assertThat(cluster.log("dispatcher-2")).contains("the token is its worker token, and this part joins as a"
          + " manager: use the token that `shoal cluster join-token manager` prints");
      assertThat(new CertDirectory(refused).exists()).isFalse();
    }
  }

  @Test
  void theCliRenewsItsCertificateOnACallOnceTwoThirdsOfItsValidityHavePassed() throws Exception {
    ClusterCa ca = ClusterCa.load(Path.of(cluster.certs("ca")), ClusterKey.fromFile(cluster.clusterKey()));
    // Issued (by its own account) 2 h 10 min ago for 3 h: two thirds are behind it.
    Instant issued = Instant.now().minus(Duration.ofMinutes(130));
    KeyPair keys = Keys.newEcP256();
    PeerIdentity admin = new PeerIdentity("admin-2", Role.MANAGER, NodeCertificates.clusterId(ca.root()));
    NodeCredentials due = NodeCredentials.issued(keys, ca.issue(CertificateRequest.create(keys),
        CertificateSpec.of(admin).withValidity(Duration.ofHours(3)), issued), ca.root(), Instant.now());
    Path certs = dir.resolve("cli-due");
    new CertDirectory(certs).write(ca.root(), due);

    Commands.Result ls = cluster.shoalWith(Map.of("SHOAL_CERT_PATH", certs.toString()), null, "node", "ls");

    cluster.succeeded(ls, "node", "ls");
    assertThat(ls.stderr()).isEmpty();
    NodeCredentials renewed = new CertDirectory(certs).read().credentials();
    assertThat(renewed.identity()).isEqualTo(admin);
    assertThat(renewed.notAfter()).isAfter(Instant.now().plus(Duration.ofDays(80)));
    assertThat(renewed.privateKey()).isNotEqualTo(due.privateKey());
  }

  @Test
  void aRotatedTokenOrAnotherClustersJoinsNothing() throws Exception {
    String old = cluster.succeeded(cluster.shoal("cluster", "join-token", "-q", "worker"), "join-token").stdout()
        .strip();
    cluster.succeeded(cluster.shoal("cluster", "join-token", "--rotate", "-q", "worker"), "rotate");

    assertThatThrownBy(() -> ClusterJoin.join(JoinToken.parse(old), cluster.controlAddr, Role.WORKER,
            new CertDirectory(dir.resolve("old")), Clock.systemUTC(), Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining("the join token is not this cluster's current worker or manager token");
    JoinToken foreign = JoinTokens.generate(ClusterCa.create(java.time.Instant.now()).root()).worker();
    assertThatThrownBy(() -> ClusterJoin.join(foreign, cluster.controlAddr, Role.WORKER, new CertDirectory(dir.resolve("foreign")),
            Clock.systemUTC(), Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("the CA of the manager does not match the token");
    assertThat(new CertDirectory(dir.resolve("old")).exists()).isFalse();
  }
}
