package io.shoal.control.ca;

import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRequest;
import io.shoal.common.pki.CertificateSpec;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.Keys;
import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Role;
import io.shoal.common.time.GoDuration;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shoal-control ca issue}: a new key and a certificate from the CA in {@code --pki-dir},
 * written as {@code --out}/{ca.pem,cert.pem,key.pem} ({@link CertDirectory}): how etcd, the
 * control-plane services, the CLI and (until they join with a token) node agents get theirs.
 */
@Command(name = "issue", mixinStandardHelpOptions = true,
    description = "Issues a certificate from the CA in --pki-dir: writes ca.pem, cert.pem and key.pem (0600) into --out.")
public final class CaIssueCommand implements Callable<Integer> {
  /** SwarmKit's floor on a node certificate's expiry: shorter ones would be renewed all the time. */
  static final Duration MIN_VALIDITY = Duration.ofHours(1);

  @Mixin CaCommand.CaOptions options = new CaCommand.CaOptions();

  @Option(names = "--role", required = true, converter = RoleConverter.class,
      description = "manager (control plane, CLI, etcd) or worker (a node agent).")
  Role role;

  @Option(names = "--name", required = true,
      description = "The certificate's common name: a node agent's node id, else the part's name (control, admin, ...).")
  String name;

  @Option(names = "--ip", description = "An IP address to serve on, as a subject alternative name (repeatable).")
  List<String> ipAddresses = List.of();

  @Option(names = "--dns", description = "A host name to serve on, as a subject alternative name (repeatable).")
  List<String> dnsNames = List.of();

  @Option(names = "--validity", defaultValue = "90d", converter = ValidityConverter.class,
      description = "How long the certificate is valid: 90d, 720h, ... at least 1h (default: ${DEFAULT-VALUE}).")
  Duration validity;

  @Option(names = "--out", required = true, description = "Directory to write ca.pem, cert.pem and key.pem into.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String invalid = invalid();
    if (invalid != null) {
      return refuse(spec, "ca issue", invalid);
    }
    try {
      ClusterCa ca = ClusterCa.load(options.pkiDir, options.clusterKey());
      spec.commandLine().getOut().println(issueWith(ca, Instant.now()));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException | UncheckedIOException | ShoalException | CertificateException e) {
      return refuse(spec, "ca issue", e.getMessage());
    }
  }

  /** Issues this command's certificate from {@code ca} into {@code --out}; what it issued. */
  NodeCredentials issueWith(ClusterCa ca, Instant now) throws CertificateException {
    KeyPair keys = Keys.newEcP256();
    CertificateSpec certificate = new CertificateSpec(
        new PeerIdentity(name, role, clusterId(ca)), validity, ipAddresses, dnsNames);
    NodeCredentials credentials = NodeCredentials.issued(
        keys, ca.issue(CertificateRequest.create(keys), certificate, now), ca.root(), now);
    new CertDirectory(out).write(ca.root(), credentials);
    return credentials;
  }

  /** Why these options can't be issued, or null. */
  String invalid() {
    return validity.compareTo(MIN_VALIDITY) < 0
        ? "--validity " + validity + " is below the minimum of " + MIN_VALIDITY : null;
  }

  /** The cluster id written in every certificate (O), as the CA gives it to joining nodes. */
  public static String clusterId(ClusterCa ca) {
    return NodeCertificates.clusterId(ca.root());
  }

  static int refuse(CommandSpec spec, String command, String reason) {
    spec.commandLine().getErr().println("shoal-control " + command + ": " + reason);
    spec.commandLine().getErr().flush();
    return 1;
  }

  static final class RoleConverter implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return switch (value) {
        case "manager" -> Role.MANAGER;
        case "worker" -> Role.WORKER;
        default -> throw new IllegalArgumentException("expected manager or worker, got '" + value + "'");
      };
    }
  }

  /** Go's durations, and whole days ({@code 90d}), which Go has not. */
  static final class ValidityConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      if (value.matches("[0-9]{1,5}d")) {
        return Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      return GoDuration.parse(value);
    }
  }
}
