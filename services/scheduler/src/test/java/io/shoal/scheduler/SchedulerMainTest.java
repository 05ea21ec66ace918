package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SchedulerMainTest {
  private static SchedulerConfig config(String... args) {
    SchedulerMain main = new SchedulerMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void noPluginIsDisabledByDefault() {
    SchedulerConfig config = config();

    assertThat(config.disabledFilters()).isEmpty();
    assertThat(config.disabledPreferences()).isEmpty();
  }

  @Test
  void pluginsAreDisabledByName() {
    SchedulerConfig config = config("--disable-filter", "max-replicas,host-ports",
        "--disable-preference", "least-loaded", "--disable-preference", "recent-rejections");

    assertThat(config.disabledFilters()).containsExactlyInAnyOrder("max-replicas", "host-ports");
    assertThat(config.disabledPreferences()).containsExactlyInAnyOrder("least-loaded", "recent-rejections");
  }

  @Test
  void anUnknownPluginIsAUsageErrorNamingTheKnownOnes() {
    assertThatThrownBy(() -> config("--disable-filter", "nope"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageStartingWith("--disable-filter: unknown filter 'nope'; the filters are: ready, ");
    assertThatThrownBy(() -> config("--disable-preference", "nope"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageStartingWith("--disable-preference: unknown preference 'nope'; the preferences are: ");
  }

  @Test
  void anUnknownPluginStopsTheSchedulerBeforeItStarts() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SchedulerMain()).setErr(new PrintWriter(err));

    assertThat(cli.execute("--disable-filter", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown filter 'nope'");
  }

  @Test
  void theHelpListsThePluginNames() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new SchedulerMain()).setOut(new PrintWriter(out));

    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " ")) // the help wraps lines
        .contains("ready, resources, constraints, host-ports, max-replicas")
        .contains("recent-rejections, label-spread, service-spread, least-loaded");
  }
}
