package io.shoal.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import org.junit.jupiter.api.Test;

class ContainerConfigsTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  static Task.Builder task() {
    return Task.newBuilder()
        .setId("t0000000000000000000000001")
        .setServiceId("s1")
        .setServiceName("web")
        .setSlot(3)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setSpec(ServiceSpec.newBuilder()
            .setName("web")
            .setContainer(ContainerSpec.newBuilder()
                .setImage("127.0.0.1:5000/team/web:1@" + DIGEST)
                .addArgs("httpd").addArgs("-f")
                .addEnv("A=1").addEnv("B=2").addEnv("A=3").addEnv("FLAG")
                .setWorkdir("/www")
                .setUser("nobody")
                .setInit(true)
                .setStopGracePeriod(Duration.newBuilder().setSeconds(2).setNanos(500_000_000)))
            .setEndpoint(EndpointSpec.newBuilder()
                .addPorts(PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(80)
                    .setPublishedPort(8080).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS))
                .addPorts(PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_UDP).setTargetPort(53)
                    .setPublishedPort(5353).setPublishMode(PublishMode.PUBLISH_MODE_HOST))
                .addPorts(PortConfig.newBuilder().setTargetPort(9000)
                    .setPublishMode(PublishMode.PUBLISH_MODE_HOST))));
  }

  @Test
  void buildsTheContainerOfATask() {
    ContainerConfig config = ContainerConfigs.forTask(task().build(), "node1", "127.0.0.2");

    assertThat(config.name()).isEqualTo("web.3.t0000000000000000000000001");
    assertThat(config.image().forEngine()).isEqualTo("127.0.0.1:5000/team/web@" + DIGEST);
    assertThat(config.cmd()).containsExactly("httpd", "-f");
    assertThat(config.env()).containsExactly("A=3", "B=2", "FLAG");
    assertThat(config.workdir()).isEqualTo("/www");
    assertThat(config.user()).isEqualTo("nobody");
    assertThat(config.init()).isTrue();
    assertThat(config.stopGracePeriod()).isEqualTo(java.time.Duration.ofMillis(2500));
    assertThat(config.labels()).containsOnly(
        org.assertj.core.api.Assertions.entry("io.shoal.node.id", "node1"),
        org.assertj.core.api.Assertions.entry("io.shoal.task.id", "t0000000000000000000000001"),
        org.assertj.core.api.Assertions.entry("io.shoal.service.id", "s1"),
        org.assertj.core.api.Assertions.entry("io.shoal.service.name", "web"),
        org.assertj.core.api.Assertions.entry("io.shoal.slot", "3"));
  }

  @Test
  void ingressPortsTakeAnEnginePortAndHostPortsTheirPublishedOne() {
    ContainerConfig config = ContainerConfigs.forTask(task().build(), "node1", "127.0.0.2");

    assertThat(config.ports()).containsExactly(
        new ContainerConfig.PortPublication(ContainerConfig.Protocol.TCP, 80, "127.0.0.2", 0),
        new ContainerConfig.PortPublication(ContainerConfig.Protocol.UDP, 53, "127.0.0.2", 5353),
        new ContainerConfig.PortPublication(ContainerConfig.Protocol.TCP, 9000, "127.0.0.2", 0));
  }

  @Test
  void defaultsKeepTheImagesOwnSettings() {
    Task task = task().setSpec(ServiceSpec.newBuilder().setName("bare")
            .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/bare:1")))
        .setServiceName("")
        .build();

    ContainerConfig config = ContainerConfigs.forTask(task, "node1", "127.0.0.2");

    assertThat(config.name()).isEqualTo("bare.3.t0000000000000000000000001");
    assertThat(config.cmd()).isEmpty();
    assertThat(config.workdir()).isEmpty();
    assertThat(config.user()).isEmpty();
    assertThat(config.init()).isFalse();
    assertThat(config.ports()).isEmpty();
    assertThat(config.stopGracePeriod()).isEqualTo(ContainerConfigs.DEFAULT_STOP_GRACE);
  }
}
