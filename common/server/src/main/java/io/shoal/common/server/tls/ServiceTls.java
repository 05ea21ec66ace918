package io.shoal.common.server.tls;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.RootCertificate;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's TLS, from its {@code --cert-dir}: the contexts its gRPC server serves with and the
 * channels it opens to other services (mutual TLS 1.3, {@link ClusterTls}), or plaintext for both
 * with {@code --insecure}. One per process: the key manager is shared, so a renewal
 * ({@link #keys()}{@code .update}) reaches every next handshake.
 */
public final class ServiceTls {
  private static final Logger log = LoggerFactory.getLogger(ServiceTls.class);

  private final Optional<Path> directory;
  private final Optional<RootCertificate> root;
  private final Optional<ReloadableKeyManager> keys;
  private final TlsRefusalLog refusals = new TlsRefusalLog();
  private SslContext client;
  private SslContext memberClient;

  private ServiceTls(Optional<Path> directory, Optional<RootCertificate> root, Optional<ReloadableKeyManager> keys) {
    this.directory = directory;
    this.root = root;
    this.keys = keys;
  }

  /** No TLS: plaintext gRPC served and called. */
  public static ServiceTls insecure() {
    log.warn("--insecure: gRPC is served and called without TLS; anyone who reaches a port can use it");
    return new ServiceTls(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * The files of {@code directory} ({@link CertDirectory}), checked now: a certificate the
   * cluster's root did not issue, or one expired, would fail every handshake.
   *
   * @throws CannotStartException naming the directory and what is wrong
   */
  public static ServiceTls fromDirectory(Path directory) {
    CertDirectory files = new CertDirectory(directory);
    if (!files.exists()) {
      throw new CannotStartException(directory + " does not hold " + CertDirectory.CA_FILE + ", "
          + CertDirectory.CERT_FILE + " and " + CertDirectory.KEY_FILE + ": issue them with `shoal-control ca issue"
          + " --out " + directory + "`");
    }
    CertDirectory.Contents contents;
    try {
      contents = files.read();
      contents.root().verify(contents.credentials().chain(), Instant.now());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new CannotStartException(e.getMessage(), e);
    } catch (CertificateException e) {
      throw new CannotStartException(directory.resolve(CertDirectory.CERT_FILE) + ": " + e.getMessage(), e);
    }
    return new ServiceTls(Optional.of(directory), Optional.of(contents.root()),
        Optional.of(ReloadableKeyManager.forDirectory(directory, contents.credentials())));
  }

  /** The cluster's root certificate, with TLS. */
  public Optional<RootCertificate> root() {
    return root;
  }

  /** Whether gRPC is TLS. */
  public boolean enabled() {
    return keys.isPresent();
  }

  /** The certificate directory, also the default of the etcd client's. */
  public Optional<Path> directory() {
    return directory;
  }

  /** Who this process's certificate says it is (a node agent's node id). */
  public Optional<PeerIdentity> identity() {
    return keys.map(k -> k.credentials().identity());
  }

  /** The key manager every context of this process presents from. */
  public Optional<ReloadableKeyManager> keys() {
    return keys;
  }

  public TlsRefusalLog refusals() {
    return refusals;
  }

  /** A server's context: a client certificate from the cluster's root is required. */
  public Optional<SslContext> serverContext() {
    return keys.map(k -> ClusterTls.server(k, root.get(), refusals));
  }

  /**
   * A server's context that lets clients without a certificate in (control's, for joins): its
   * interceptors must refuse every other call without a {@link PeerIdentity}.
   */
  public Optional<SslContext> serverContextAcceptingJoins() {
    return keys.map(k -> ClusterTls.serverAcceptingJoins(k, root.get(), refusals));
  }

  /**
   * The context of the {@code /metrics} endpoint (HTTPS): Prometheus presents a manager's
   * certificate of the cluster; nothing else reads it. Empty with {@code --insecure} (plain HTTP).
   */
  public Optional<SslContext> metricsContext() {
    return keys.map(k -> ClusterTls.httpServer(k, root.get(), Role.MANAGER, refusals));
  }

  /**
   * A channel builder to another service at {@code address}: mutual TLS, the server accepted
   * only with a manager's certificate from the cluster's root; plaintext with {@code --insecure}.
   */
  public NettyChannelBuilder channelTo(InetSocketAddress address) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.getHostString(), address.getPort());
    if (keys.isEmpty()) {
      return builder.usePlaintext();
    }
    return builder.sslContext(clientContext());
  }

  /**
   * As {@link #channelTo}, to a server with any certificate from the cluster's root: a node
   * agent's (a worker's), which managers call for task logs.
   */
  public NettyChannelBuilder channelToMember(InetSocketAddress address) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.getHostString(), address.getPort());
    if (keys.isEmpty()) {
      return builder.usePlaintext();
    }
    return builder.sslContext(memberClientContext());
  }

  private synchronized SslContext memberClientContext() {
    if (memberClient == null) {
      memberClient = ClusterTls.client(keys.get(), root.get(), Optional.empty(), refusals);
    }
    return memberClient;
  }

  private synchronized SslContext clientContext() {
    if (client == null) {
      client = ClusterTls.client(keys.get(), root.get(), Optional.of(Role.MANAGER), refusals);
    }
    return client;
  }

  @Override
  public String toString() {
    return directory.map(d -> "ServiceTls[" + d + "]").orElse("ServiceTls[insecure]");
  }
}
