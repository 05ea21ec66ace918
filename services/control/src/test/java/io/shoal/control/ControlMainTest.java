package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
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
}
