package io.shoal.common.pki;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLException;

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
 * {@code TlsServerCredentials}: only the former sets the protocol versions (TLS 1.3 alone), and
 * it still takes our own key and trust managers; the provider is the one gRPC picks (BoringSSL,
 * bundled in grpc-netty-shaded, where it loads; else the JDK's).
 */
public final class ClusterTls {
  public static final String PROTOCOL = "TLSv1.3";

  private ClusterTls() {}

  /**
   * A server context: requires a client certificate issued by {@code root} (mutual TLS) and
   * presents {@code keys}' current certificate. Any role may connect; authorisation by role is
   * the interceptors' ({@link PeerIdentity#of(io.grpc.Attributes)}).
   */
  public static SslContext server(ReloadableKeyManager keys, RootCertificate root, TlsRefusals refusals) {
    return server(keys, new ClusterTrustManager(root, Optional.empty(), Clock.systemUTC(), refusals), null);
  }

  static SslContext server(ReloadableKeyManager keys, ClusterTrustManager trust, SslProvider provider) {
    return build(SslContextBuilder.forServer(keys).trustManager(trust).clientAuth(ClientAuth.REQUIRE), provider);
  }

  /**
   * A client context: presents {@code keys}' current certificate and accepts a server whose
   * certificate {@code root} issued and, when given, of {@code serverRole}.
   */
  public static SslContext client(
      ReloadableKeyManager keys, RootCertificate root, Optional<Role> serverRole, TlsRefusals refusals) {
    return client(keys, new ClusterTrustManager(root, serverRole, Clock.systemUTC(), refusals), null);
  }

  static SslContext client(ReloadableKeyManager keys, ClusterTrustManager trust, SslProvider provider) {
    return build(SslContextBuilder.forClient().keyManager(keys).trustManager(trust), provider);
  }

  /**
   * The context of a node that joins with a token: no client certificate (it has none yet), and
   * the server accepted only as {@code trust} says (the token's CA, a manager). Only a server
   * built by {@link #serverAcceptingJoins} lets it in.
   */
  public static SslContext join(JoinTrustManager trust) {
    return build(SslContextBuilder.forClient().trustManager(trust), null);
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
        .clientAuth(ClientAuth.OPTIONAL), null);
  }

  private static SslContext build(SslContextBuilder builder, SslProvider provider) {
    if (provider == null) {
      GrpcSslContexts.configure(builder);
    } else {
      GrpcSslContexts.configure(builder, provider);
    }
    try {
      return builder.protocols(PROTOCOL).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a TLS 1.3 context", e);
    }
  }
}
