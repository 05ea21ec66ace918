package io.shoal.control.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.shoal.api.v1.CaServiceGrpc;
import io.shoal.api.v1.JoinClusterRequest;
import io.shoal.api.v1.JoinClusterResponse;
import io.shoal.api.v1.RenewCertificateRequest;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRenewer;
import io.shoal.common.pki.CertificateRequest;
import io.shoal.common.pki.CertificateSpec;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.ClusterJoin;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.ClusterTrustManager;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.JoinTokens;
import io.shoal.common.pki.JoinTrustManager;
import io.shoal.common.pki.Keys;
import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Pem;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.RootCertificate;
import io.shoal.common.pki.TlsRefusals;
import io.shoal.common.pki.authz.AuthorizationInterceptor;
import io.shoal.common.server.tls.CertificateRenewal;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joining and renewing over real TLS 1.3 against control's CaService, the CA and its tokens in a
 * real etcd: the node gets a certificate for a new id in the token's role, renews it under the
 * same id, and every wrong token is refused with its reason.
 */
class ClusterJoinIT {
  private final Clock clock = Clock.systemUTC();
  private final ClusterKey key = ClusterKey.generate();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final AtomicInteger callsServed = new AtomicInteger();
  private final java.util.Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private EtcdStore store;
  private ClusterCaManager cluster;
  private Server server;
  private RootCertificate root;
  private ReloadableKeyManager serverKeys;

  @BeforeEach
  void start() throws IOException, CertificateException {
    EtcdTestCluster etcd = EtcdExtension.cluster();
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot()).writingAs(Writer.CONTROL);
    cluster = new ClusterCaManager(store, Optional.of(key), clock);
    cluster.start();
    root = cluster.root();
    KeyPair keys = Keys.newEcP256();
    X509Certificate controlCert = cluster.ca().issue(CertificateRequest.create(keys), CertificateSpec.of(
        new PeerIdentity("control", Role.MANAGER, NodeCertificates.clusterId(root))), clock.instant());
    serverKeys = new ReloadableKeyManager(NodeCredentials.issued(keys, controlCert, root, clock.instant()));
    startServer(Duration.ofDays(90));
  }

  private void startServer(Duration validity) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(ClusterTls.serverAcceptingJoins(serverKeys, root, this::refused))
        .addService(ServerInterceptors.intercept(
            new CaGrpcService(new NodeCertificates(cluster, validity, clock)),
            new AuthorizationInterceptor(CaGrpcService.rules().build(), revoked::contains, (code, method) -> { }), counting()))
        .build().start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }

  @Test
  void aWorkerJoinsWithTheTokenAndGetsACertificateForANewNodeId() throws CertificateException {
    JoinToken token = cluster.joinToken(Role.WORKER, false);
    KeyPair keys = Keys.newEcP256();

    JoinClusterResponse joined = join(token, keys);

    assertThat(joined.getNodeId()).matches("[0-9a-z]{25}");
    assertThat(joined.getRole()).isEqualTo("worker");
    NodeCredentials credentials = credentials(keys, joined.getCertificateChainPem());
    assertThat(credentials.identity())
        .isEqualTo(new PeerIdentity(joined.getNodeId(), Role.WORKER, NodeCertificates.clusterId(root)));
    assertThat(Duration.between(credentials.notBefore(), credentials.notAfter()))
        .isEqualTo(Duration.ofDays(90).plus(ClusterCa.BACKDATE));
  }

  @Test
  void theManagerTokenMakesAManager() {
    JoinClusterResponse joined = join(cluster.joinToken(Role.MANAGER, false), Keys.newEcP256());

    assertThat(joined.getRole()).isEqualTo("manager");
  }

  @Test
  void aNodeRenewsUnderItsOwnIdWithANewKey() throws CertificateException {
    KeyPair first = Keys.newEcP256();
    JoinClusterResponse joined = join(cluster.joinToken(Role.WORKER, false), first);
    NodeCredentials current = credentials(first, joined.getCertificateChainPem());
    KeyPair next = Keys.newEcP256();

    String renewed = CaServiceGrpc.newBlockingStub(channel(ClusterTls.client(new ReloadableKeyManager(current),
            new ClusterTrustManager(root, Optional.of(Role.MANAGER), clock, this::refused))))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .renewCertificate(RenewCertificateRequest.newBuilder()
            .setCsr(ByteString.copyFrom(CertificateRequest.create(next).der())).build())
        .getCertificateChainPem();

    NodeCredentials after = credentials(next, renewed);
    assertThat(after.identity()).isEqualTo(current.identity());
    assertThat(after.certificate().getPublicKey()).isEqualTo(next.getPublic());
  }

  @Test
  void renewingWithoutACertificateIsUnauthenticated() {
    JoinToken token = cluster.joinToken(Role.WORKER, false);

    assertThatThrownBy(() -> CaServiceGrpc.newBlockingStub(joinChannel(token))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .renewCertificate(RenewCertificateRequest.newBuilder()
                .setCsr(ByteString.copyFrom(CertificateRequest.create(Keys.newEcP256()).der())).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
        .hasMessageContaining("RenewCertificate needs a certificate of this cluster");
  }

  @Test
  void aRotatedTokenAdmitsNoNewNodeAndTheNewOneDoes() {
    JoinToken old = cluster.joinToken(Role.WORKER, false);
    JoinToken rotated = cluster.joinToken(Role.WORKER, true);

    assertThatThrownBy(() -> join(old, Keys.newEcP256()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining("the join token is not this cluster's current worker or manager token");
    assertThat(join(rotated, Keys.newEcP256()).getRole()).isEqualTo("worker");
    assertThat(cluster.joinToken(Role.MANAGER, false)).isNotEqualTo(rotated);
  }

  @Test
  void aTokenOfAnotherCaIsRefusedInTheHandshakeBeforeAnythingIsSent() {
    JoinToken foreign = JoinTokens.generate(ClusterCa.create(Instant.now()).root()).worker();

    assertThatThrownBy(() -> join(foreign, Keys.newEcP256()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(refusals).anyMatch(r -> r.startsWith("CA_MISMATCH the CA of the manager does not match the token"));
    assertThat(callsServed).hasValue(0);
  }

  @Test
  void theCaComesBackFromEtcdUnderTheSameKeyAndAnotherKeyStopsControl() {
    ClusterCaManager again = new ClusterCaManager(store, Optional.of(key), clock);
    again.start();
    assertThat(again.root()).isEqualTo(root);
    assertThat(again.tokens()).isEqualTo(cluster.tokens());

    ClusterCaManager wrongKey = new ClusterCaManager(store, Optional.of(ClusterKey.generate()), clock);
    assertThatThrownBy(wrongKey::start)
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining(key.id());
  }

  @Test
  void withoutAClusterKeyThereIsNoCaAndTheCallsSaySo() {
    ClusterCaManager none = new ClusterCaManager(store, Optional.empty(), clock);
    none.start();

    assertThatThrownBy(none::root)
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("start control with --cluster-key-file FILE");
  }

  @Test
  void aNodeJoinsThroughClusterJoinAndItsDirectoryHoldsItsCertificateAndKey(@TempDir Path dir) throws IOException {
    CertDirectory certs = new CertDirectory(dir.resolve("node"));

    CertDirectory.Contents joined = ClusterJoin.join(cluster.joinToken(Role.WORKER, false),
        "127.0.0.1:" + server.getPort(), Role.WORKER, certs, clock, Duration.ofSeconds(10));

    assertThat(joined.root()).isEqualTo(root);
    assertThat(joined.credentials().identity().role()).isEqualTo(Role.WORKER);
    assertThat(certs.read().credentials().identity()).isEqualTo(joined.credentials().identity());
    assertThat(Files.getPosixFilePermissions(dir.resolve("node").resolve(CertDirectory.KEY_FILE)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void theManagerTokenJoinsAManagerAndTheWorkerTokenJoinsNoManager(@TempDir Path dir) throws IOException {
    CertDirectory managerCerts = new CertDirectory(dir.resolve("scheduler"));
    CertDirectory.Contents joined = ClusterJoin.join(cluster.joinToken(Role.MANAGER, false),
        "127.0.0.1:" + server.getPort(), Role.MANAGER, managerCerts, clock, Duration.ofSeconds(10));
    assertThat(joined.credentials().identity().role()).isEqualTo(Role.MANAGER);
    assertThat(managerCerts.read().credentials().identity()).isEqualTo(joined.credentials().identity());

    CertDirectory refused = new CertDirectory(dir.resolve("dispatcher"));
    assertThatThrownBy(() -> ClusterJoin.join(cluster.joinToken(Role.WORKER, false), "127.0.0.1:" + server.getPort(),
            Role.MANAGER, refused, clock, Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessage("cannot join the cluster at 127.0.0.1:" + server.getPort() + ": the token is its worker token,"
            + " and this part joins as a manager: use the token that `shoal cluster join-token manager` prints");
    assertThat(refused.exists()).isFalse();
  }

  @Test
  void aJoinWithAnotherCasTokenSaysSoAndWritesNothing(@TempDir Path dir) {
    JoinToken foreign = JoinTokens.generate(ClusterCa.create(Instant.now()).root()).worker();
    CertDirectory certs = new CertDirectory(dir.resolve("node"));

    assertThatThrownBy(() -> ClusterJoin.join(foreign, "127.0.0.1:" + server.getPort(), Role.WORKER, certs, clock,
            Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("cannot join the cluster at 127.0.0.1:" + server.getPort()
            + ": the CA of the manager does not match the token: expected " + foreign.caDigest() + " got "
            + root.digest());
    assertThat(certs.exists()).isFalse();
    assertThat(callsServed).hasValue(0);
  }

  @Test
  void aShortLivedCertificateIsRenewedBeforeItExpiresAndPresentedFromThen(@TempDir Path dir) throws Exception {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    startServer(Duration.ofSeconds(4));
    CertDirectory certs = new CertDirectory(dir.resolve("node"));
    NodeCredentials first = ClusterJoin.join(cluster.joinToken(Role.WORKER, false), "127.0.0.1:" + server.getPort(),
        Role.WORKER, certs, clock, Duration.ofSeconds(10)).credentials();
    ReloadableKeyManager keys = new ReloadableKeyManager(first);
    ManagedChannel manager = channel(ClusterTls.client(keys,
        new ClusterTrustManager(root, Optional.of(Role.MANAGER), clock, this::refused)));

    try (CertificateRenewer renewer = new CertificateRenewer(keys, certs, root, manager, clock, () -> 0.5).start()) {
      await().atMost(Duration.ofSeconds(20))
          .until(() -> keys.credentials().notAfter().isAfter(first.notAfter().plusSeconds(1)));
      assertThat(keys.credentials().identity()).isEqualTo(first.identity());
      assertThat(keys.credentials().certificate().getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
      // Saved before it is presented: a restarted node starts from the renewed one.
      assertThat(certs.read().credentials().notAfter()).isAfter(first.notAfter());
    }
  }

  @Test
  void aControlPlaneServiceRenewsAtControlAndEveryContextOfItsDirectoryPresentsTheNewCertificate(@TempDir Path dir)
      throws Exception {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    startServer(Duration.ofSeconds(4));
    // The scheduler's directory as `ca issue` writes it, short-lived here.
    KeyPair keys = Keys.newEcP256();
    Instant now = clock.instant();
    X509Certificate issued = cluster.ca().issue(CertificateRequest.create(keys), CertificateSpec.of(
        new PeerIdentity("scheduler", Role.MANAGER, NodeCertificates.clusterId(root))).withValidity(Duration.ofSeconds(4)),
        now);
    NodeCredentials first = NodeCredentials.issued(keys, issued, root, now);
    Path certs = dir.resolve("scheduler");
    new CertDirectory(certs).write(root, first);
    ServiceTls tls = ServiceTls.fromDirectory(certs);

    try (CertificateRenewal renewal = CertificateRenewal.start("scheduler", tls,
        Optional.of("127.0.0.1:" + server.getPort()))) {
      ReloadableKeyManager presented = tls.keys().orElseThrow();
      await().atMost(Duration.ofSeconds(20))
          .until(() -> presented.credentials().notAfter().isAfter(first.notAfter().plusSeconds(1)));
      assertThat(presented.credentials().identity()).isEqualTo(first.identity());
      NodeCredentials written = new CertDirectory(certs).read().credentials();
      assertThat(written.notAfter()).isAfter(first.notAfter());
      // etcd's client context, built from the same directory, shares the key manager the renewal updated.
      assertThat(ReloadableKeyManager.forDirectory(certs, written)).isSameAs(presented);
    }
  }

  @Test
  void withoutAManagerNothingIsRenewed(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("mesh");
    KeyPair keys = Keys.newEcP256();
    Instant now = clock.instant();
    new CertDirectory(certs).write(root, NodeCredentials.issued(keys, cluster.ca().issue(CertificateRequest.create(keys),
        CertificateSpec.of(new PeerIdentity("mesh", Role.MANAGER, NodeCertificates.clusterId(root))), now), root, now));
    assertThat(CertificateRenewal.start("mesh-proxy", ServiceTls.fromDirectory(certs), Optional.empty())).isNull();
    assertThat(CertificateRenewal.start("mesh-proxy", ServiceTls.insecure(), Optional.of("127.0.0.1:1"))).isNull();
  }

  @Test
  void aRemovedNodeCannotRenew() throws CertificateException {
    KeyPair first = Keys.newEcP256();
    JoinClusterResponse joined = join(cluster.joinToken(Role.WORKER, false), first);
    NodeCredentials current = credentials(first, joined.getCertificateChainPem());
    revoked.add(joined.getNodeId());

    assertThatThrownBy(() -> CaServiceGrpc.newBlockingStub(channel(ClusterTls.client(new ReloadableKeyManager(current),
            new ClusterTrustManager(root, Optional.of(Role.MANAGER), clock, this::refused))))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .renewCertificate(RenewCertificateRequest.newBuilder()
            .setCsr(ByteString.copyFrom(CertificateRequest.create(Keys.newEcP256()).der())).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining("was removed from the cluster (node rm)");
  }

  private JoinClusterResponse join(JoinToken token, KeyPair keys) {
    return CaServiceGrpc.newBlockingStub(joinChannel(token)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .joinCluster(JoinClusterRequest.newBuilder().setToken(token.value())
            .setCsr(ByteString.copyFrom(CertificateRequest.create(keys).der())).build());
  }

  private ManagedChannel joinChannel(JoinToken token) {
    return channel(ClusterTls.join(new JoinTrustManager(token, clock, this::refused)));
  }

  private ManagedChannel channel(SslContext context) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).sslContext(context).build();
    channels.add(channel);
    return channel;
  }

  private NodeCredentials credentials(KeyPair keys, String chainPem) throws CertificateException {
    List<X509Certificate> chain = Pem.parseCertificates(chainPem);
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(root.certificate());
    return NodeCredentials.issued(keys, chain.get(0), root, clock.instant());
  }

  private void refused(TlsRefusals.Reason reason, String message) {
    refusals.add(reason + " " + message);
  }

  private ServerInterceptor counting() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        callsServed.incrementAndGet();
        return next.startCall(call, headers);
      }
    };
  }
}
