package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ControlMainTest {
  private static ControlConfig parse(String... args) {
    ControlMain main = new ControlMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void orphanedCredentialsAreLookedForEveryTenMinutesByDefault() {
    assertThat(parse().sweepInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(parse("--credentials-sweep-interval", "30s").sweepInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theClusterKeyIsReadFromItsFileAndWithoutOneASecretIsRefusedSayingHowToGiveIt(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, Base64.getEncoder().encodeToString(new byte[ClusterKey.KEY_BYTES]) + "\n");

    assertThat(new ConfigModule(parse("--cluster-key-file", file.toString())).clusterKey().id())
        .isEqualTo(ClusterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[ClusterKey.KEY_BYTES])).id());
    ControlConfig p = parse();
    ControlConfig none = new ControlConfig(p.listen(), p.metricsPort(), p.store(), p.registry(), p.sweepInterval(),
        p.networks(), Optional.empty(), p.certExpiry(), Optional.empty(), p.web());
    assertThatThrownBy(() -> new ConfigModule(none).clusterKey())
        .isInstanceOfSatisfying(ShoalException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessage("control has no cluster key, so it cannot keep secrets; start it with --cluster-key-file FILE"
            + " or SHOAL_CLUSTER_KEY (base64 of 32 random bytes)");
  }
}
