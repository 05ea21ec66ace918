package io.shoal.common.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.JoinTokens;
import io.shoal.common.pki.Role;
import io.shoal.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** What a part's --join-token, --cert-dir and --insecure mean together, before any join is tried. */
class ManagerOptionsTest {
  private static final String TOKEN = JoinTokens.generate(ClusterCa.create(Instant.now()).root()).manager().value();

  @TempDir Path dir;

  @Command
  static final class Part {
    @Mixin TlsOptions tls = new TlsOptions();
    @Mixin ManagerOptions cluster = new ManagerOptions();
  }

  private static Part parse(String... args) {
    Part part = new Part();
    new CommandLine(part).parseArgs(args);
    return part;
  }

  @Test
  void aJoinNeedsADirectoryToKeepTheCertificateIn() {
    Part part = parse("--join-token", TOKEN, "--manager", "127.0.0.1:7400");

    assertThatThrownBy(() -> part.cluster.tls(part.tls, "scheduler", Role.MANAGER))
        .isInstanceOf(CannotStartException.class)
        .hasMessage("--join-token needs --cert-dir: the directory that keeps the certificate the scheduler gets");
  }

  @Test
  void aJoinWithoutTlsIsRefused() {
    Part part = parse("--join-token", TOKEN, "--insecure");

    assertThatThrownBy(() -> part.cluster.tls(part.tls, "scheduler", Role.MANAGER))
        .isInstanceOf(CannotStartException.class)
        .hasMessage("both --join-token and --insecure were given: a part that joins speaks TLS");
  }

  @Test
  void theTokenIsReadFromItsFileAndAMalformedOneIsNamed() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    assertThat(parse("--join-token-file", file.toString()).cluster.joinToken()).map(t -> t.value()).contains(TOKEN);

    assertThatThrownBy(() -> parse("--join-token", "SWMTKN-1-nonsense").cluster.joinToken())
        .isInstanceOf(CannotStartException.class)
        .hasMessageStartingWith("--join-token: ");
  }

  @Test
  void aControlPlaneServiceRefusesAWorkersCertificate() {
    Path certs = TestPki.create(dir.resolve("pki")).issue("node1", Role.WORKER);
    Part part = parse("--cert-dir", certs.toString());

    assertThatThrownBy(() -> part.cluster.tls(part.tls, "scheduler", Role.MANAGER))
        .isInstanceOf(CannotStartException.class)
        .hasMessageStartingWith(certs + ": a scheduler's certificate must be a manager's; node1's is a worker's");
  }

  @Test
  void aManagersCertificateServesAControlPlaneService() {
    Path certs = TestPki.create(dir.resolve("pki")).issue("scheduler", Role.MANAGER);
    Part part = parse("--cert-dir", certs.toString());

    assertThat(part.cluster.tls(part.tls, "scheduler", Role.MANAGER).identity())
        .hasValueSatisfying(id -> assertThat(id.nodeId()).isEqualTo("scheduler"));
  }
}
