package io.shoal.common.pki;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A CA and node credentials issued by it, for the tests. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final String CLUSTER = "cluster0123456789abcdefgh";

  private Fixtures() {}

  static NodeCredentials credentials(ClusterCa ca, String nodeId, Role role, Instant now, Duration validity,
      List<String> ips) {
    KeyPair keys = Keys.newEcP256();
    CertificateSpec spec = CertificateSpec.of(new PeerIdentity(nodeId, role, CLUSTER))
        .withValidity(validity).withAddresses(ips, List.of());
    // Not NodeCredentials.issued: it refuses what some tests need (already expired certificates).
    return new NodeCredentials(keys.getPrivate(),
        List.of(ca.issue(CertificateRequest.create(keys), spec, now), ca.root().certificate()));
  }

  static NodeCredentials credentials(ClusterCa ca, String nodeId, Role role) {
    return credentials(ca, nodeId, role, Instant.now(), CertificateSpec.DEFAULT_VALIDITY, List.of());
  }
}
