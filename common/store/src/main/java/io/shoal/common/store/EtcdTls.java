package io.shoal.common.store;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.ClusterTrustManager;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.TlsRefusals;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context of a jetcd client: jetcd runs on unshaded grpc-netty, so it takes an
 * {@code io.netty} context, built here from the same key and trust managers as the services'
 * gRPC ({@link ClusterTls}): TLS 1.3, this process's certificate presented (etcd runs with
 * {@code --client-cert-auth}), and etcd's accepted only when the cluster's root issued it for a
 * manager. No host name check, as for every Shoal peer; etcd's SANs serve etcdctl.
 *
 * <p>Why BoringSSL (netty-tcnative) here, where the services' own gRPC uses the JDK's TLS
 * ({@link ClusterTls}): every service and mesh-proxy talks to etcd all the time, and the JDK's
 * TLS, under the C1-only JIT the services run with, cost the scheduler twice its plaintext CPU
 * (bench/scheduler.sh: 3.9 s plaintext, 7.7 s with TLS, for 10,000 tasks). ClusterTls's reason
 * for the JDK, that a resumed session skips the server's trust manager, concerns our servers;
 * here etcd is the server, and its client certificate check is etcd's own. Where the native
 * library cannot load (a platform it lacks), the JDK's TLS is used, and the log says why.
 */
public final class EtcdTls {
  private static final Logger log = LoggerFactory.getLogger(EtcdTls.class);
  /** Refusals of etcd's certificate: rare and fatal to the client, so each is logged. */
  private static final TlsRefusals LOG = (reason, message) -> log.warn("etcd's TLS certificate refused ({}): {}",
      reason, message);

  private static boolean warned;

  private EtcdTls() {}

  /**
   * A client context from {@code directory}'s ca.pem, cert.pem and key.pem.
   *
   * @throws IllegalArgumentException naming the directory when its files are missing or malformed
   */
  public static SslContext clientContext(Path directory) {
    CertDirectory files = new CertDirectory(directory);
    if (!files.exists()) {
      throw new IllegalArgumentException("--etcd-cert-dir " + directory + " does not hold " + CertDirectory.CA_FILE
          + ", " + CertDirectory.CERT_FILE + " and " + CertDirectory.KEY_FILE);
    }
    CertDirectory.Contents contents = files.read();
    SslContextBuilder builder = SslContextBuilder.forClient()
        // The directory's shared key manager: the service's renewal reaches etcd's handshakes too.
        .keyManager(ReloadableKeyManager.forDirectory(directory, contents.credentials()))
        .trustManager(new ClusterTrustManager(contents.root(), Optional.of(Role.MANAGER), Clock.systemUTC(), LOG))
        .protocols(ClusterTls.PROTOCOL);
    try {
      return GrpcSslContexts.configure(builder, provider()).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the TLS context for etcd", e);
    }
  }

  /** BoringSSL when its native library loads, else the JDK's TLS, logged once with the reason. */
  static synchronized SslProvider provider() {
    if (OpenSsl.isAvailable()) {
      return SslProvider.OPENSSL;
    }
    if (!warned) {
      warned = true;
      log.warn("etcd's TLS runs on the JDK's, slower here: BoringSSL (netty-tcnative) is not available ({})",
          OpenSsl.unavailabilityCause().toString());
    }
    return SslProvider.JDK;
  }
}
