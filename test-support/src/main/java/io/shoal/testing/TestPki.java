package io.shoal.testing;

import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRequest;
import io.shoal.common.pki.CertificateSpec;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.Keys;
import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Role;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A cluster CA for a test, in memory, that writes certificate directories (ca.pem, cert.pem,
 * key.pem) as {@code shoal-control ca issue} does: for servers, clients, etcd, and the ones that
 * must be refused (expired, from another CA).
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(dir);
 * Path control = pki.issue("control", Role.MANAGER);
 * Path expired = pki.issueExpired("old", Role.MANAGER);
 * }</pre>
 */
public final class TestPki {
  private final ClusterCa ca;
  private final Path dir;

  private TestPki(ClusterCa ca, Path dir) {
    this.ca = ca;
    this.dir = dir;
  }

  /** A new CA; the directories it issues go under {@code dir}. */
  public static TestPki create(Path dir) {
    return new TestPki(ClusterCa.create(Instant.now()), dir);
  }

  /** Issues from an existing CA (a cluster's, loaded with its key), into {@code dir}. */
  public static TestPki of(ClusterCa ca, Path dir) {
    return new TestPki(ca, dir);
  }

  public ClusterCa ca() {
    return ca;
  }

  /** The cluster id in its certificates: as {@code shoal-control ca issue} writes it. */
  public String clusterId() {
    return ca.root().digest().base36();
  }

  /** A certificate directory {@code dir/name} for {@code name} of {@code role}, valid for a day, SAN 127.0.0.1. */
  public Path issue(String name, Role role, String... ipAddresses) {
    return issue(name, role, Instant.now(), Duration.ofDays(1), ipAddresses);
  }

  /** One that expired an hour ago. */
  public Path issueExpired(String name, Role role) {
    return issue(name, role, Instant.now().minus(Duration.ofHours(3)), Duration.ofHours(1));
  }

  /** Issued at {@code at} for {@code validity}, in {@code dir/name}. */
  public Path issue(String name, Role role, Instant at, Duration validity, String... ipAddresses) {
    List<String> ips = ipAddresses.length == 0 ? List.of("127.0.0.1") : List.of(ipAddresses);
    KeyPair keys = Keys.newEcP256();
    X509Certificate certificate = ca.issue(CertificateRequest.create(keys),
        new CertificateSpec(new PeerIdentity(name, role, clusterId()), validity, ips, List.of()), at);
    Path out = dir.resolve(name);
    new CertDirectory(out).write(ca.root(), new NodeCredentials(keys.getPrivate(), List.of(certificate, ca.root().certificate())));
    return out;
  }
}
