package io.shoal.common.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.CertificateRequest;
import io.shoal.common.pki.CertificateSpec;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.JoinTokens;
import io.shoal.common.pki.Keys;
import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a part's identity comes from: its directory, else a join; what it says when neither can be. */
class ClusterEnrollmentTest {
  private static final ClusterCa CA = ClusterCa.create(Instant.now());
  private static final JoinToken TOKEN = JoinTokens.generate(CA.root()).worker();

  @Test
  void aNodeThatJoinedBeforeUsesItsCertificateNotTheToken(@TempDir Path dir) throws Exception {
    KeyPair keys = Keys.newEcP256();
    NodeCredentials credentials = NodeCredentials.issued(keys, CA.issue(CertificateRequest.create(keys),
        CertificateSpec.of(new PeerIdentity("node1", Role.WORKER, "cluster1")), Instant.now()), CA.root(), Instant.now());
    CertDirectory certs = new CertDirectory(dir);
    certs.write(CA.root(), credentials);

    CertDirectory.Contents contents = ClusterEnrollment.enroll("node agent", certs, Optional.of(TOKEN),
        Optional.of("127.0.0.1:1"), Role.WORKER, Clock.systemUTC(), Duration.ZERO);

    assertThat(contents.credentials().identity().nodeId()).isEqualTo("node1");
  }

  @Test
  void withoutACertificateOrATokenItSaysWhatToDo(@TempDir Path dir) {
    assertThatThrownBy(() -> ClusterEnrollment.enroll("node agent", new CertDirectory(dir.resolve("certs")),
            Optional.empty(), Optional.of("127.0.0.1:7400"), Role.WORKER, Clock.systemUTC(), Duration.ZERO))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessage("no certificate in " + dir.resolve("certs") + " and no join token: start the node agent with"
            + " --join-token TOKEN --manager HOST:PORT, as `shoal cluster join-token worker` prints them");
  }

  @Test
  void aManagerThatDoesNotAnswerIsAskedAgainUntilPatienceRunsOut(@TempDir Path dir) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String manager = "127.0.0.1:" + closedPort;

    assertThatThrownBy(() -> ClusterEnrollment.enroll("node agent", new CertDirectory(dir.resolve("certs")),
            Optional.of(TOKEN), Optional.of(manager), Role.WORKER, Clock.systemUTC(), Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(ShoalException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageStartingWith("cannot join the cluster at " + manager);
    assertThat(new CertDirectory(dir.resolve("certs")).exists()).isFalse();
  }
}
