package io.shoal.common.pki;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;

/**
 * TLS contexts for grpc-netty-shaded ({@code NettyServerBuilder.sslContext},
 * {@code NettyChannelBuilder.sslContext}): TLS 1.3 only, certificates from the cluster's CA only,
 * and the node's key and certificate read at each handshake from a {@link ReloadableKeyManager}.
 *
 * <pre>{@code
 * ReloadableKeyManager keys = new ReloadableKeyManager(credentials);
 * NettyServerBuilder.forAddress(address).sslContext(ClusterTls.server(keys, root, refusals));
 * NettyChannelBuilder.forTarget(target).sslContext(ClusterTls.client(keys, root, Optional.of(Role.MANAGER), refusals));
 * keys.update(renewed);   // the next handshake on either presents the renewed certificate
 * }</pre>
 *
 * <p>Why Netty's {@code SslContextBuilder} through {@link GrpcSslContexts} rather than gRPC's
 * {@code TlsServerCredentials}: only the former sets the protocol versions (TLS 1.3 alone) and
 * reaches the session context (no resumption, below), and it still takes our own key and trust
 * managers.
 *
 * <p>Why the JDK's TLS and not the BoringSSL that grpc-netty-shaded bundles: a resumed session
 * skips the trust manager, so it must be impossible, and only the JDK lets a context turn TLS 1.3
 * session tickets off (Netty's BoringSSL contexts send them unless the JVM-wide property
 * {@code jdk.tls.server.enableSessionTicketExtension=false} is set before Netty loads). The JDK
 * also needs no native library on any platform. If the TLS benchmarks need BoringSSL, set that
 * property in every process and pass its provider here.
 */
public final class ClusterTls {
  public static final String PROTOCOL = "TLSv1.3";
  /**
   * The JDK sends no TLS 1.3 session ticket when the session timeout exceeds the 7 days RFC 8446
   * allows a ticket (sun.security.ssl.NewSessionTicket), and a client without a ticket cannot
   * resume: the one knob the JDK has for it.
   */
  static final int JDK_NO_TICKETS_TIMEOUT = 7 * 24 * 3600 + 1;

  private ClusterTls() {}

  /**
   * A server context: requires a client certificate issued by {@code root} (mutual TLS) and
   * presents {@code keys}' current certificate. Any role may connect; authorisation by role is
   * the interceptors' ({@link PeerIdentity#of(io.grpc.Attributes)}).
   */
  public static SslContext server(ReloadableKeyManager keys, RootCertificate root, TlsRefusals refusals) {
    return server(keys, new ClusterTrustManager(root, Optional.empty(), Clock.systemUTC(), refusals));
  }

  /** {@link #server(ReloadableKeyManager, RootCertificate, TlsRefusals)} with a trust manager of one's own (a clock). */
  public static SslContext server(ReloadableKeyManager keys, ClusterTrustManager trust) {
    return build(SslContextBuilder.forServer(keys).trustManager(trust).clientAuth(ClientAuth.REQUIRE));
  }

  /**
   * A client context: presents {@code keys}' current certificate and accepts a server whose
   * certificate {@code root} issued and, when given, of {@code serverRole}.
   */
  public static SslContext client(
      ReloadableKeyManager keys, RootCertificate root, Optional<Role> serverRole, TlsRefusals refusals) {
    return client(keys, new ClusterTrustManager(root, serverRole, Clock.systemUTC(), refusals));
  }

  /** {@link #client(ReloadableKeyManager, RootCertificate, Optional, TlsRefusals)} with a trust manager of one's own. */
  public static SslContext client(ReloadableKeyManager keys, ClusterTrustManager trust) {
    return build(SslContextBuilder.forClient().keyManager(keys).trustManager(trust));
  }

  /**
   * The context of a node that joins with a token: no client certificate (it has none yet), and
   * the server accepted only as {@code trust} says (the token's CA, a manager). Only a server
   * built by {@link #serverAcceptingJoins} lets it in.
   */
  public static SslContext join(JoinTrustManager trust) {
    return build(SslContextBuilder.forClient().trustManager(trust));
  }

  /**
   * A server context for the port that also takes joins, as SwarmKit's managers serve one port:
   * a client certificate is verified like {@link #server}'s when presented, and may be absent
   * (a joining node has none yet). Interceptors must then refuse every call without a
   * {@link PeerIdentity} except the join (CSR with a token) and the root CA's certificate.
   */
  public static SslContext serverAcceptingJoins(ReloadableKeyManager keys, RootCertificate root, TlsRefusals refusals) {
    return build(SslContextBuilder.forServer(keys)
        .trustManager(new ClusterTrustManager(root, Optional.empty(), Clock.systemUTC(), refusals))
        .clientAuth(ClientAuth.OPTIONAL));
  }

  /**
   * A server context for HTTP/1.1 (the Prometheus {@code /metrics} endpoint), not gRPC: no ALPN
   * (gRPC's would offer only h2), otherwise as {@link #server}, and only clients with a
   * certificate of {@code clientRole} from {@code root} get through the handshake.
   */
  public static SslContext httpServer(ReloadableKeyManager keys, RootCertificate root, Role clientRole,
      TlsRefusals refusals) {
    return buildJdk(SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK)
        .trustManager(new ClusterTrustManager(root, Optional.of(clientRole), Clock.systemUTC(), refusals))
        .clientAuth(ClientAuth.REQUIRE));
  }

  /** A gRPC context: the JDK's TLS with gRPC's ALPN (h2), then as {@link #buildJdk}. */
  private static SslContext build(SslContextBuilder builder) {
    return buildJdk(GrpcSslContexts.configure(builder, SslProvider.JDK));
  }

  /** TLS 1.3 only, without resumption. */
  private static SslContext buildJdk(SslContextBuilder builder) {
    SslContext context;
    try {
      context = builder.protocols(PROTOCOL).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a TLS 1.3 context", e);
    }
    disableResumption(context.sessionContext());
    return context;
  }

  /**
   * Every connection runs a full handshake: a resumed session skips the trust manager, so it
   * would keep a peer's old (expired, renewed or revoked) certificate, and the certificate this
   * side presents would not change after {@link ReloadableKeyManager#update}. gRPC connections
   * live long, so the cost is one full handshake per connection.
   */
  private static void disableResumption(SSLSessionContext sessions) {
    sessions.setSessionTimeout(JDK_NO_TICKETS_TIMEOUT);
  }
}
