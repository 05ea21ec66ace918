package io.shoal.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.shoal.cli.CliException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRenewer;
import io.shoal.common.pki.ClusterTls;
import io.shoal.common.pki.ReloadableKeyManager;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.TlsRefusals;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The CLI's certificate in {@code SHOAL_CERT_PATH}, and its renewal: a call made once two thirds
 * of its validity have passed first renews it at control (same identity, a new key, written back
 * to the directory), as the services' {@code CertificateRenewer} does on a timer. A CLI has no
 * timer: the renewal happens on the first call after the due time, which an administrator who
 * uses the CLI less than once in the last third (a month of a 90-day certificate) misses; the
 * certificate then expires and `ca issue` makes a new one. A renewal that fails (a read-only
 * directory, control refusing) is one warning line; the call goes on with the current certificate.
 */
public final class CliCertificate {
  private final Path directory;
  private final CertDirectory.Contents contents;
  private final ReloadableKeyManager keys;

  private CliCertificate(Path directory, CertDirectory.Contents contents) {
    this.directory = directory;
    this.contents = contents;
    this.keys = new ReloadableKeyManager(contents.credentials());
  }

  /**
   * The files of {@code directory}, checked now.
   *
   * @throws CliException in one line saying what is missing or wrong and what to do
   */
  static CliCertificate read(Path directory) {
    CertDirectory files = new CertDirectory(directory);
    if (!files.exists()) {
      throw new CliException("no TLS certificate for control: " + directory + " does not hold "
          + CertDirectory.CA_FILE + ", " + CertDirectory.CERT_FILE + " and " + CertDirectory.KEY_FILE
          + "; set SHOAL_CERT_PATH to a directory from `shoal-control ca issue --role manager --name admin --out DIR`"
          + " (after deploy/dev.sh up: .dev/pki/cli)");
    }
    try {
      CertDirectory.Contents contents = files.read();
      contents.root().verify(contents.credentials().chain(), Instant.now());
      return new CliCertificate(directory, contents);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new CliException("cannot use the TLS certificate for control: " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new CliException("cannot use the TLS certificate for control: "
          + directory.resolve(CertDirectory.CERT_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** A client context presenting this certificate; control accepted only with a manager's. */
  SslContext context() {
    return ClusterTls.client(keys, contents.root(), Optional.of(Role.MANAGER), TlsRefusals.NONE);
  }

  /**
   * Renews the certificate over {@code control} (a channel presenting it) when it is due; a
   * failure is written to {@code warnings} in one line.
   *
   * @return whether it was renewed
   */
  public boolean renewIfDue(ManagedChannel control, Clock clock, PrintStream warnings) {
    if (clock.instant().isBefore(contents.credentials().dueAt(CertificateRenewer.WITHOUT_TIMER))) {
      return false;
    }
    try (CertificateRenewer renewer = new CertificateRenewer(keys, new CertDirectory(directory), contents.root(),
        control, clock)) {
      try {
        renewer.renewNow();
        return true;
      } catch (StatusRuntimeException | ShoalException | IllegalStateException | UncheckedIOException e) {
        warnings.println("shoal: warning: the certificate in " + directory + " expires at "
            + contents.credentials().notAfter() + " and could not be renewed: " + reason(e));
        return false;
      }
    }
  }

  private static String reason(Exception e) {
    if (e instanceof StatusRuntimeException s) {
      return s.getStatus().getCode() + (s.getStatus().getDescription() != null
          ? ": " + s.getStatus().getDescription() : "");
    }
    return e.getMessage();
  }
}
