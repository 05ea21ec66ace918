package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.shoal.api.v1.HealthConfig;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Docker's --health-* and --no-healthcheck on {@code service create} and {@code service update}. */
class ServiceHealthcheckFlagsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  private static Duration seconds(long s, int nanos) {
    return Duration.newBuilder().setSeconds(s).setNanos(nanos).build();
  }

  @Test
  void createSendsTheCheckAsCmdShellWithItsDurations() {
    Result r = cli.run("service", "create", "-d", "--name", "web", "--health-cmd", "curl -f http://localhost/",
        "--health-interval", "500ms", "--health-timeout", "2s", "--health-start-period", "1m",
        "--health-retries", "4", "nginx");

    assertThat(r.err()).isEmpty();
    assertThat(cli.control().creates().get(0).getSpec().getContainer().getHealthcheck()).isEqualTo(
        HealthConfig.newBuilder().addTest("CMD-SHELL").addTest("curl -f http://localhost/")
            .setInterval(seconds(0, 500_000_000)).setTimeout(seconds(2, 0)).setStartPeriod(seconds(60, 0))
            .setRetries(4).build());
  }

  @Test
  void withoutFlagsTheImagesCheckApplies() {
    cli.run("service", "create", "-d", "--name", "web", "nginx");

    assertThat(cli.control().creates().get(0).getSpec().getContainer().hasHealthcheck()).isFalse();
  }

  @Test
  void noHealthcheckIsNoneAndConflictsWithAnyHealthFlag() {
    cli.run("service", "create", "-d", "--name", "web", "--no-healthcheck", "nginx");
    Result both = cli.run("service", "create", "-d", "--name", "web2", "--no-healthcheck", "--health-retries", "2",
        "nginx");

    assertThat(cli.control().creates().get(0).getSpec().getContainer().getHealthcheck().getTestList())
        .containsExactly("NONE");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("'--no-healthcheck': conflicts with --health-* options");
  }

  @Test
  void updateChangesOnlyTheFlagsGivenAndAHealthFlagReEnablesADisabledCheck() {
    ServiceSpec current = Fixtures.replicated("web", "nginx:1.27", 1);
    cli.control().addService(current.toBuilder().setContainer(current.getContainer().toBuilder()
        .setHealthcheck(HealthConfig.newBuilder().addTest("NONE"))).build());

    cli.run("service", "update", "-d", "--health-interval", "1s", "web");

    HealthConfig sent = cli.control().updates().get(0).getSpec().getContainer().getHealthcheck();
    assertThat(sent.getTestList()).as("the image's test again").isEmpty();
    assertThat(sent.getInterval()).isEqualTo(seconds(1, 0));
  }
}
