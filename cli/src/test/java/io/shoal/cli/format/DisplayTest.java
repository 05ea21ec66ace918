package io.shoal.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.TaskState;
import io.shoal.cli.parse.PortSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DisplayTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "TASK_STATE_RUNNING, Running",
    "TASK_STATE_SHUTDOWN, Shutdown",
    "TASK_STATE_PREPARING, Preparing",
    "TASK_STATE_PENDING, Pending",
    "TASK_STATE_REMOVE, Remove",
    "TASK_STATE_ORPHANED, Orphaned",
    "TASK_STATE_UNSPECIFIED, ''",
  })
  void taskStatesReadLikeDocker(TaskState state, String expected) {
    assertThat(Display.pretty(state)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(
      value = TaskState.class,
      names = {"UNRECOGNIZED", "TASK_STATE_UNSPECIFIED"},
      mode = EnumSource.Mode.EXCLUDE)
  void everyTaskStateHasAName(TaskState state) {
    assertThat(Display.pretty(state)).matches("[A-Z][a-z]+");
    assertThat(Display.lower(state)).matches("[a-z]+").hasSizeLessThanOrEqualTo(9);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "NODE_STATE_READY, Ready",
    "NODE_STATE_DOWN, Down",
    "NODE_STATE_DISCONNECTED, Disconnected",
  })
  void nodeStatesReadLikeDocker(NodeState state, String expected) {
    assertThat(Display.pretty(state)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "NODE_AVAILABILITY_ACTIVE, Active",
    "NODE_AVAILABILITY_DRAIN, Drain",
    "NODE_AVAILABILITY_PAUSE, Pause",
  })
  void availabilityReadsLikeDocker(NodeAvailability availability, String expected) {
    assertThat(Display.pretty(availability)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,"
        + " nginx:1.27@sha256:0123456789ab",
    "localhost:5000/busybox:1@sha256:fedcba9876543210,"
        + " localhost:5000/busybox:1@sha256:fedcba987654",
    "nginx:1.27, nginx:1.27",
    "nginx, nginx",
  })
  void imagesKeepTwelveDigitsOfTheDigest(String image, String expected) {
    assertThat(Display.shortImage(image)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "'', false, ''",
    "short, false, '\"short\"'",
    "'exactly thirty characters long', false, '\"exactly thirty characters long\"'",
    "'thirty-one characters long, yes', false, '\"thirty-one characters long, y…\"'",
    "'thirty-one characters long, yes', true, '\"thirty-one characters long, yes\"'",
  })
  void errorsAreQuotedAndCut(String err, boolean full, String expected) {
    assertThat(Display.error(err, full)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "8080:80                                  | *:8080->80/tcp",
        "8080:80 53:53/udp                        | *:8080->80/tcp, *:53->53/udp",
        "80                                       | 80/tcp",
        "published=8080,target=80,mode=host 90:9  | *:90->9/tcp",
      })
  void servicePortsShowTheRoutingMesh(String specs, String expected) {
    List<PortConfig> ports = List.of(specs.split(" +")).stream().map(PortSpec::parse).toList();
    assertThat(Display.servicePorts(ports)).isEqualTo(expected);
  }

  @Test
  void taskPortsShowHostModeBindings() {
    PortBinding host =
        PortBinding.newBuilder()
            .setProtocol(Protocol.PROTOCOL_TCP)
            .setTargetPort(80)
            .setHostIp("127.0.0.2")
            .setHostPort(8080)
            .setPublishMode(PublishMode.PUBLISH_MODE_HOST)
            .build();
    PortBinding ingress =
        host.toBuilder()
            .setHostPort(31000)
            .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS)
            .build();
    PortBinding anyIp =
        host.toBuilder().setHostIp("").setProtocol(Protocol.PROTOCOL_UDP).setTargetPort(53).build();
    assertThat(Display.taskPorts(List.of(host, ingress, anyIp)))
        .isEqualTo("127.0.0.2:8080->80/tcp,*:8080->53/udp");
  }
}
