package io.shoal.control.ca;

import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRenewer;
import io.shoal.common.pki.CertificateRequest;
import io.shoal.common.pki.CertificateSpec;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.Keys;
import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.PeerIdentity;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shoal-control ca renew --dir DIR...}: renews, offline, certificates that nothing renews
 * at control: etcd's own (its server runs before control, and etcd rereads its files on every
 * handshake, so the new one is served at once) and any made by {@code ca issue} for a part that
 * runs without {@code --manager}. Meant for a daily timer on the manager machine that holds the
 * CA: a certificate is renewed once two thirds of its validity have passed (the CLI's rule), with
 * a new key, the same identity, addresses and names, and the same length of validity.
 */
@Command(name = "renew", mixinStandardHelpOptions = true,
    description = "Renews the certificate in each --dir from the CA in --pki-dir once two thirds of its validity have"
        + " passed (--force: now): a new key, the same identity, addresses and validity. For etcd's certificate and"
        + " others no part renews at control; run it daily.")
public final class CaRenewCommand implements Callable<Integer> {
  @Mixin CaCommand.CaOptions options = new CaCommand.CaOptions();

  @Option(names = "--dir", required = true,
      description = "A certificate directory (ca.pem, cert.pem, key.pem) to renew in place (repeatable).")
  List<Path> dirs;

  @Option(names = "--force", description = "Renew now, due or not.")
  boolean force;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      ClusterCa ca = ClusterCa.load(options.pkiDir, options.clusterKey());
      // Every directory read and checked before any is written: a wrong one renews none.
      List<CertDirectory.Contents> found = new ArrayList<>();
      for (Path dir : dirs) {
        found.add(checked(ca, dir));
      }
      PrintWriter out = spec.commandLine().getOut();
      Instant now = Instant.now();
      for (int i = 0; i < dirs.size(); i++) {
        NodeCredentials current = found.get(i).credentials();
        Instant due = current.dueAt(CertificateRenewer.WITHOUT_TIMER);
        if (!force && now.isBefore(due)) {
          out.println(dirs.get(i) + ": " + current.identity().nodeId() + " is not due until " + due);
          continue;
        }
        NodeCredentials renewed = renew(ca, new CertDirectory(dirs.get(i)), current, now);
        out.println(dirs.get(i) + ": renewed " + renewed.identity().nodeId() + ", valid until "
            + renewed.notAfter());
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException | UncheckedIOException | ShoalException | CertificateException e) {
      return CaIssueCommand.refuse(spec, "ca renew", e.getMessage());
    }
  }

  /** {@code dir}'s contents, which must be certified by {@code ca}. */
  private static CertDirectory.Contents checked(ClusterCa ca, Path dir) throws CertificateException {
    CertDirectory files = new CertDirectory(dir);
    if (!files.exists()) {
      throw new IllegalArgumentException(dir + " does not hold " + CertDirectory.CA_FILE + ", "
          + CertDirectory.CERT_FILE + " and " + CertDirectory.KEY_FILE + ": issue one with `shoal-control ca issue`");
    }
    CertDirectory.Contents contents = files.read();
    if (!contents.root().equals(ca.root())) {
      throw new IllegalArgumentException(dir + " holds a certificate of another CA (" + contents.root().digest()
          + ", not " + ca.root().digest() + "): issue one from this CA with `shoal-control ca issue`");
    }
    // The identity only: an expired certificate is renewed too, with what it said.
    ca.root().verify(List.of(contents.credentials().certificate()), contents.credentials().notAfter().minusSeconds(1));
    return contents;
  }

  private static NodeCredentials renew(ClusterCa ca, CertDirectory dir, NodeCredentials current, Instant now)
      throws CertificateException {
    X509Certificate certificate = current.certificate();
    PeerIdentity identity = current.identity();
    CertificateSpec spec = new CertificateSpec(identity, current.validity(), names(certificate, 7),
        names(certificate, 2));
    KeyPair keys = Keys.newEcP256();
    NodeCredentials renewed = NodeCredentials.issued(keys, ca.issue(CertificateRequest.create(keys), spec, now),
        ca.root(), now);
    dir.write(ca.root(), renewed);
    return renewed;
  }

  /** The subject alternative names of {@code type} (2 DNS, 7 IP), in their order. */
  private static List<String> names(X509Certificate certificate, int type) throws CertificateParsingException {
    Collection<List<?>> all = certificate.getSubjectAlternativeNames();
    List<String> names = new ArrayList<>();
    if (all != null) {
      for (List<?> name : all) {
        if (((Integer) name.get(0)) == type) {
          names.add((String) name.get(1));
        }
      }
    }
    return names;
  }
}
