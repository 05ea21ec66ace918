package io.shoal.common.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real grpc-netty server and client on 127.0.0.1 with the cluster's TLS contexts. */
class ClusterTlsTest {
  private final ClusterCa ca = ClusterCa.create(Instant.now());
  private final RootCertificate root = ca.root();
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  /** What the server saw of each call it let through: the TLS session. */
  private final ConcurrentLinkedQueue<SSLSession> serverSessions = new ConcurrentLinkedQueue<>();
  /** ... and the caller's identity as an interceptor reads it. */
  private final ConcurrentLinkedQueue<Optional<PeerIdentity>> serverIdentities = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> serverRefusals = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> clientRefusals = new ConcurrentLinkedQueue<>();

  @AfterEach
  void shutDown() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server server : servers) {
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void bothSidesPresentClusterCertificatesOverTls13() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "manager-a", Role.MANAGER));
    int port = startServer(serverSide(serverKeys));
    SessionRecorder client = new SessionRecorder();

    ManagedChannel channel = channel(port, clientSide(Fixtures.credentials(ca, "worker-1", Role.WORKER), Optional.of(Role.MANAGER)), client);

    assertThat(check(channel)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    SSLSession atServer = serverSessions.peek();
    assertThat(atServer.getProtocol()).isEqualTo("TLSv1.3");
    assertThat(serverIdentities).containsExactly(Optional.of(new PeerIdentity("worker-1", Role.WORKER, Fixtures.CLUSTER)));
    assertThat(client.session.getProtocol()).isEqualTo("TLSv1.3");
    assertThat(PeerIdentity.of(client.session)).map(PeerIdentity::nodeId).contains("manager-a");
    assertThat(serverRefusals).isEmpty();
    assertThat(clientRefusals).isEmpty();
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "manager-a", Role.MANAGER));
    int port = startServer(serverSide(serverKeys));
    JoinTrustManager trust = new JoinTrustManager(JoinToken.generate(root.digest()), Clock.systemUTC(), TlsRefusals.NONE);

    ManagedChannel channel = channel(port, ClusterTls.join(trust), new SessionRecorder());

    assertRefused(channel);
    assertThat(serverSessions).isEmpty();
  }

  @Test
  void aClientWithACertificateFromAnotherCaIsRefused() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "manager-a", Role.MANAGER));
    int port = startServer(serverSide(serverKeys));
    NodeCredentials stranger = Fixtures.credentials(ClusterCa.create(Instant.now()), "manager-a", Role.MANAGER);

    ManagedChannel channel = channel(port, clientSide(stranger, Optional.empty()), new SessionRecorder());

    assertRefused(channel);
    assertThat(serverSessions).isEmpty();
    assertThat(serverRefusals).anySatisfy(r -> assertThat(r)
        .startsWith("UNTRUSTED").contains("was not issued by this cluster's CA " + root.digest()));
  }

  @Test
  void anExpiredClientCertificateIsRefused() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "manager-a", Role.MANAGER));
    int port = startServer(serverSide(serverKeys));
    NodeCredentials expired = Fixtures.credentials(ca, "worker-1", Role.WORKER,
        Instant.now().minus(Duration.ofHours(3)), Duration.ofHours(1), List.of());

    ManagedChannel channel = channel(port, clientSide(expired, Optional.empty()), new SessionRecorder());

    assertRefused(channel);
    assertThat(serverRefusals).anySatisfy(r -> assertThat(r).startsWith("EXPIRED").contains("CN=worker-1"));
  }

  @Test
  void aClientThatWantsAManagerRefusesAWorker() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "worker-2", Role.WORKER));
    int port = startServer(serverSide(serverKeys));

    ManagedChannel channel = channel(port,
        clientSide(Fixtures.credentials(ca, "worker-1", Role.WORKER), Optional.of(Role.MANAGER)), new SessionRecorder());

    assertRefused(channel);
    assertThat(clientRefusals).containsExactly(
        "WRONG_ROLE node worker-2 is a shoal-worker; only a shoal-manager is accepted here");
  }

  @Test
  void aSwappedServerCertificateIsPresentedFromTheNextHandshake() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "manager-a", Role.MANAGER));
    int port = startServer(serverSide(serverKeys));
    // A client that would resume its session if the server let it: the server alone must make
    // every connection a full handshake.
    SslContext clientContext = GrpcSslContexts.configure(SslContextBuilder.forClient()
            .keyManager(new ReloadableKeyManager(Fixtures.credentials(ca, "worker-1", Role.WORKER)))
            .trustManager(new ClusterTrustManager(root, Optional.of(Role.MANAGER), Clock.systemUTC(), this::clientRefused)), SslProvider.JDK)
        .protocols(ClusterTls.PROTOCOL).build();
    SessionRecorder before = new SessionRecorder();
    ManagedChannel open = channel(port, clientContext, before);
    check(open);

    serverKeys.update(Fixtures.credentials(ca, "manager-b", Role.MANAGER));
    SessionRecorder after = new SessionRecorder();
    check(channel(port, clientContext, after));
    check(open);

    assertThat(PeerIdentity.of(after.session)).map(PeerIdentity::nodeId).contains("manager-b");
    assertThat(PeerIdentity.of(before.session)).as("an open connection keeps its certificate")
        .map(PeerIdentity::nodeId).contains("manager-a");
  }

  @Test
  void aJoiningNodeFindsThePinnedRootInTheHandshake() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "manager-a", Role.MANAGER));
    int port = startServer(ClusterTls.serverAcceptingJoins(serverKeys, root, this::serverRefused));
    JoinTrustManager trust = new JoinTrustManager(JoinToken.generate(root.digest()), Clock.systemUTC(), this::clientRefused);

    assertThat(check(channel(port, ClusterTls.join(trust), new SessionRecorder())))
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    assertThat(trust.root()).contains(root);
    assertThat(serverIdentities).as("the joining node has no identity yet").containsExactly(Optional.empty());
  }

  @Test
  void aJoiningNodeRefusesAManagerOfAnotherCa() throws IOException {
    ReloadableKeyManager serverKeys = new ReloadableKeyManager(Fixtures.credentials(ca, "manager-a", Role.MANAGER));
    int port = startServer(ClusterTls.serverAcceptingJoins(serverKeys, root, this::serverRefused));
    CaDigest other = ClusterCa.create(Instant.now()).root().digest();
    JoinTrustManager trust = new JoinTrustManager(JoinToken.generate(other), Clock.systemUTC(), this::clientRefused);

    assertRefused(channel(port, ClusterTls.join(trust), new SessionRecorder()));

    assertThat(trust.root()).isEmpty();
    assertThat(serverSessions).isEmpty();
    assertThat(clientRefusals).containsExactly("CA_MISMATCH the CA of the manager does not match the token: expected "
        + other + " got " + root.digest() + " ('CN=shoal-root-ca')");
  }

  private SslContext serverSide(ReloadableKeyManager keys) {
    return ClusterTls.server(keys, new ClusterTrustManager(root, Optional.empty(), Clock.systemUTC(), this::serverRefused));
  }

  private SslContext clientSide(NodeCredentials credentials, Optional<Role> serverRole) {
    return ClusterTls.client(new ReloadableKeyManager(credentials),
        new ClusterTrustManager(root, serverRole, Clock.systemUTC(), this::clientRefused));
  }

  private void serverRefused(TlsRefusals.Reason reason, String message) {
    serverRefusals.add(reason + " " + message);
  }

  private void clientRefused(TlsRefusals.Reason reason, String message) {
    clientRefusals.add(reason + " " + message);
  }

  private int startServer(SslContext context) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(context)
        .addService(ServerInterceptors.intercept(health.getHealthService(), new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            serverSessions.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            serverIdentities.add(PeerIdentity.of(call.getAttributes()));
            return next.startCall(call, headers);
          }
        }))
        .build().start();
    servers.add(server);
    return server.getPort();
  }

  private ManagedChannel channel(int port, SslContext context, SessionRecorder recorder) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
        .sslContext(context).intercept(recorder).build();
    channels.add(channel);
    return channel;
  }

  private static HealthCheckResponse.ServingStatus check(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  private static void assertRefused(ManagedChannel channel) {
    assertThatThrownBy(() -> check(channel))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  /** Keeps the TLS session of the client's last call. */
  private static final class SessionRecorder implements ClientInterceptor {
    volatile SSLSession session;

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      ClientCall<Q, R> call = next.newCall(method, options);
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onHeaders(Metadata responseHeaders) {
              session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
              super.onHeaders(responseHeaders);
            }
          }, headers);
        }
      };
    }
  }
}
