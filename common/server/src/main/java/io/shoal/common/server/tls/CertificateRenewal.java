package io.shoal.common.server.tls;

import io.grpc.ManagedChannel;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRenewer;
import io.shoal.common.server.ServerOptions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's own certificate renewed at control before it expires ({@link CertificateRenewer}):
 * the new certificate is written to the certificate directory, then presented by every TLS
 * context built from that directory (gRPC served and called, and etcd's client, which share its
 * key manager). Nothing to do without TLS; without a manager, a warning names the expiry.
 */
public final class CertificateRenewal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);

  private final ManagedChannel manager;
  private final CertificateRenewer renewer;

  private CertificateRenewal(ManagedChannel manager, CertificateRenewer renewer) {
    this.manager = manager;
    this.renewer = renewer;
  }

  /**
   * Starts renewing {@code tls}'s certificate at {@code manager} (control's host:port), or
   * returns null when there is nothing to renew or nowhere to renew it.
   */
  public static CertificateRenewal start(String service, ServiceTls tls, Optional<String> manager) {
    if (!tls.enabled()) {
      return null;
    }
    if (manager.isEmpty()) {
      log.warn("{}: no --manager, so its certificate is not renewed, and stops working at {}", service,
          tls.keys().orElseThrow().credentials().notAfter());
      return null;
    }
    ManagedChannel channel = tls.channelTo(ServerOptions.parseHostPort(manager.get())).build();
    CertificateRenewer renewer = new CertificateRenewer(tls.keys().orElseThrow(),
        new CertDirectory(tls.directory().orElseThrow()), tls.root().orElseThrow(), channel, Clock.systemUTC());
    return new CertificateRenewal(channel, renewer.start());
  }

  @Override
  public void close() throws InterruptedException {
    renewer.close();
    manager.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "certificate renewal";
  }
}
