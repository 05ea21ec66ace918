package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.control.network.Cidr;
import io.shoal.control.network.NetworkConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Control's network flags: the default pool, its block size and the reserved ranges. */
class NetworkFlagsTest {
  private static NetworkConfig parse(String... args) {
    ControlMain main = new ControlMain();
    new CommandLine(main).parseArgs(args);
    return main.config().networks();
  }

  @Test
  void withoutFlagsItIsSwarmsPoolAndDockersBridgeIsReserved() {
    assertThat(parse()).isEqualTo(NetworkConfig.DEFAULT);
    assertThat(NetworkConfig.DEFAULT.pool()).hasToString("10.0.0.0/8");
    assertThat(NetworkConfig.DEFAULT.poolSize()).isEqualTo(24);
    assertThat(NetworkConfig.DEFAULT.reserved()).containsExactly(Cidr.parse("172.17.0.0/16"));
  }

  @Test
  void flagsSetThePoolAndReplaceTheReservedRanges() {
    NetworkConfig config = parse("--default-address-pool", "10.200.0.0/16", "--default-address-pool-size", "26",
        "--reserved-subnet", "10.231.0.0/24", "--reserved-subnet", "172.17.0.0/16");

    assertThat(config).isEqualTo(new NetworkConfig(Cidr.parse("10.200.0.0/16"), 26,
        List.of(Cidr.parse("10.231.0.0/24"), Cidr.parse("172.17.0.0/16"))));
  }

  @Test
  void aBadFlagIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new ControlMain()).setErr(new PrintWriter(err));

    assertThat(cmd.execute("--reserved-subnet", "10.231.0.1/24")).isEqualTo(2);
    assertThat(err.toString()).contains("\"10.231.0.1/24\" has host bits set: it should be 10.231.0.0/24");

    err.getBuffer().setLength(0);
    assertThat(cmd.execute("--default-address-pool", "10.0.0.0/16", "--default-address-pool-size", "12")).isEqualTo(2);
    assertThat(err.toString()).contains("the pool size /12 must lie between the pool's own /16 and /29");
  }
}
