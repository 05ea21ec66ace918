package io.shoal.common.server.tls;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The TLS flags every service takes: {@code --cert-dir} (its certificate) or {@code --insecure}.
 * Neither is a refusal to start: a cluster is TLS unless someone said otherwise.
 */
public final class TlsOptions {
  @Option(names = "--cert-dir", defaultValue = "${env:SHOAL_CERT_DIR}",
      description = "Directory of this service's TLS files: ca.pem (the cluster's root), cert.pem and key.pem"
          + " (from `shoal-control ca issue`); gRPC is then mutual TLS 1.3, both served and called (env SHOAL_CERT_DIR).")
  public Path certDir;

  @Option(names = "--insecure",
      description = "Serve and call gRPC without TLS: anyone who reaches the port can use it. For tests only.")
  public boolean insecure;

  /**
   * The service's TLS: its certificate directory's, or none with {@code --insecure}.
   *
   * @throws CannotStartException when neither or both are given, or the files are unusable
   */
  public ServiceTls tls() {
    if (certDir != null && insecure) {
      throw new CannotStartException("both --cert-dir and --insecure were given: choose one");
    }
    if (certDir != null) {
      return ServiceTls.fromDirectory(certDir);
    }
    if (insecure) {
      return ServiceTls.insecure();
    }
    throw new CannotStartException("no TLS certificate: give --cert-dir DIR (or SHOAL_CERT_DIR) holding ca.pem,"
        + " cert.pem and key.pem from `shoal-control ca issue`, or --insecure to run without TLS");
  }
}
