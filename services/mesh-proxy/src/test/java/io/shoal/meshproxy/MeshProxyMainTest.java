package io.shoal.meshproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class MeshProxyMainTest {
  private static MeshProxyConfig parse(String... args) {
    MeshProxyMain main = new MeshProxyMain();
    new CommandLine(main).parseArgs(args);
    return main.config();
  }

  @Test
  void helpListsEveryFlagAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new MeshProxyMain());
    cli.setOut(new PrintWriter(out));

    int code = cli.execute("--help");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("--addr", "--etcd-endpoints", "--etcd-prefix",
        "--listen", "--metrics-port", "--backend-connect-timeout-ms", "--drain-timeout-ms",
        "--udp-idle-timeout-ms", "ADDR:7405", "9405");
  }

  @Test
  void theStoreWritesOnlyWhereItsMetricsAre() {
    Writer writer = new ConfigModule(parse("--addr", "127.0.0.1")).store().writer();

    assertThat(writer).isEqualTo(Writer.MESH_PROXY);
    assertThat(writer.prefixes()).containsExactly(Tables.METRICS_MESH_PROXY);
  }

  @Test
  void addrIsRequired() {
    CommandLine cli = new CommandLine(new MeshProxyMain());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--addr=ADDR'");
  }

  @Test
  void gRpcAndMetricsDefaultToTheNodesAddress() {
    MeshProxyConfig config = parse("--addr", "127.0.0.2");

    assertThat(config.address().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(config.grpcListen()).isEqualTo(new InetSocketAddress("127.0.0.2", 7405));
    assertThat(config.metricsPort()).isEqualTo(9405);
    assertThat(config.etcdPrefix()).isEqualTo(System.getenv()
        .getOrDefault("SHOAL_ETCD_PREFIX", "/shoal/v1/"));
    assertThat(config.backendConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.udpIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.limits()).isEqualTo(MeshProxyConfig.Limits.DEFAULT);
  }

  @Test
  void flagsOverrideTheDefaults() {
    MeshProxyConfig config = parse("--addr", "127.0.0.3", "--listen", "127.0.0.3:17405",
        "--metrics-port", "0", "--etcd-endpoints", "http://127.0.0.1:2381",
        "--etcd-prefix", "/other/", "--backend-connect-timeout-ms", "250",
        "--drain-timeout-ms", "1500", "--udp-idle-timeout-ms", "4000",
        "--tcp-idle-timeout-ms", "60000", "--tcp-half-closed-timeout-ms", "5000",
        "--max-connections-per-port", "10", "--max-connections", "20",
        "--udp-max-flows-per-port", "30", "--udp-max-flows", "40",
        "--evict-quiet-after-ms", "2500");

    assertThat(config.grpcListen()).isEqualTo(new InetSocketAddress("127.0.0.3", 17405));
    assertThat(config.metricsPort()).isZero();
    assertThat(config.etcdEndpoints()).isEqualTo("http://127.0.0.1:2381");
    assertThat(config.etcdPrefix()).isEqualTo("/other/");
    assertThat(config.backendConnectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.udpIdleTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(config.limits()).isEqualTo(new MeshProxyConfig.Limits(
        Duration.ofMinutes(1), Duration.ofSeconds(5), 10, 20, 30, 40, Duration.ofMillis(2500)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--etcd-prefix,                /no-slash,  must end with '/'",
      "--listen,                     7405,       --listen",
      "--metrics-port,               70000,      --metrics-port",
      "--backend-connect-timeout-ms, 0,          --backend-connect-timeout-ms",
      "--drain-timeout-ms,           0,          --drain-timeout-ms",
      "--udp-idle-timeout-ms,        -1,         --udp-idle-timeout-ms",
      "--tcp-idle-timeout-ms,        0,          --tcp-idle-timeout-ms",
      "--tcp-half-closed-timeout-ms, 0,          --tcp-half-closed-timeout-ms",
      "--max-connections-per-port,   0,          --max-connections",
      "--max-connections,            -5,         --max-connections",
      "--udp-max-flows-per-port,     0,          --udp-max-flows",
      "--udp-max-flows,              0,          --udp-max-flows",
      "--evict-quiet-after-ms,       -1,         --evict-quiet-after-ms",
  })
  void badFlagsAreUsageErrors(String flag, String value, String message) {
    assertThatThrownBy(() -> parse("--addr", "127.0.0.2", flag, value))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining(message);
  }
}
