package io.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import io.shoal.agent.docker.DockerTimeouts;
import io.shoal.agent.worker.WorkerLimits;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentFlagsTest {
  @Test
  void defaultsDeriveFromTheAddress() {
    AgentFlags flags = AgentFlags.parse("--addr", "127.0.0.2", "--hostname", "node2");

    assertThat(flags.hostname()).isEqualTo("node2");
    assertThat(flags.dispatcher()).isEqualTo("127.0.0.1:7403");
    assertThat(flags.listen()).isEqualTo(new InetSocketAddress("127.0.0.2", 7404));
    assertThat(flags.metricsPort()).isEqualTo(9404);
    assertThat(flags.stateDir()).isEqualTo(Path.of("/var/lib/shoal/node-agent/node2"));
    assertThat(flags.dockerHost()).isEqualTo(
        System.getenv("DOCKER_HOST") != null ? System.getenv("DOCKER_HOST") : "unix:///var/run/docker.sock");
  }

  @Test
  void everythingCanBeSet() {
    AgentFlags flags = AgentFlags.parse("--addr", "127.0.0.3", "--dispatcher", "10.0.0.1:1234",
        "--docker-host", "unix:///tmp/d.sock", "--state-dir", "/tmp/s", "--listen", "127.0.0.3:0",
        "--metrics-port", "0");

    assertThat(flags.dispatcher()).isEqualTo("10.0.0.1:1234");
    assertThat(flags.dockerHost()).isEqualTo("unix:///tmp/d.sock");
    assertThat(flags.stateDir()).isEqualTo(Path.of("/tmp/s"));
    assertThat(flags.listen()).isEqualTo(new InetSocketAddress("127.0.0.3", 0));
    assertThat(flags.metricsPort()).isZero();
    assertThat(flags.hostname()).isNotBlank();
  }

  @Test
  void workerAndDockerBoundsHaveDefaultsAndMustBePositive() {
    AgentFlags defaults = AgentFlags.parse("--addr", "127.0.0.2");
    assertThat(defaults.workerLimits()).isEqualTo(WorkerLimits.DEFAULT);
    assertThat(defaults.dockerTimeouts()).isEqualTo(DockerTimeouts.DEFAULT);

    AgentFlags set = AgentFlags.parse("--addr", "127.0.0.2", "--task-workers", "4",
        "--task-queue", "16", "--docker-timeout", "5s", "--pull-timeout", "1m30s");
    assertThat(set.workerLimits()).isEqualTo(new WorkerLimits(4, 16));
    assertThat(set.dockerTimeouts())
        .isEqualTo(new DockerTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(90)));

    assertThatThrownBy(() -> AgentFlags.parse("--addr", "127.0.0.2", "--task-workers", "0"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--task-workers");
    assertThatThrownBy(() -> AgentFlags.parse("--addr", "127.0.0.2", "--pull-timeout", "0s"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--pull-timeout");
  }

  @Test
  void addrIsRequired() {
    assertThatThrownBy(AgentFlags::parse)
        .isInstanceOf(CommandLine.MissingParameterException.class)
        .hasMessageContaining("--addr");
  }

  @Test
  void helpListsEveryFlag() {
    StringWriter out = new StringWriter();
    new CommandLine(new AgentFlags()).usage(new PrintWriter(out));
    assertThat(out.toString()).contains("--hostname", "--addr", "--dispatcher", "--docker-host",
        "--state-dir", "--listen", "--metrics-port", "--help", "--task-workers", "--task-queue",
        "--docker-timeout", "--pull-timeout");
  }
}
