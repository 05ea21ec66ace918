package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusUpdate;
import io.shoal.common.errors.InvalidArgumentException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every field a node sends, at and past its limit. */
class SessionRequestValidatorTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final InetAddress NODE = InetAddresses.forString("10.0.0.5");

  private static PortBinding.Builder port() {
    return PortBinding.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(80).setHostIp("10.0.0.5")
        .setHostPort(30000).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS);
  }

  private static TaskStatus.Builder good() {
    return TaskStatus.newBuilder().setState(TaskState.TASK_STATE_RUNNING).setMessage("started")
        .setTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond())).setContainerId("c".repeat(64))
        .addPorts(port());
  }

  private static void check(TaskStatus.Builder status) {
    SessionRequestValidator.status(TaskStatusUpdate.newBuilder().setTaskId("t1").setStatus(status).build(), NODE, NOW);
  }

  static Stream<Arguments> badReports() {
    return Stream.of(
        Arguments.of("status.state", (UnaryOperator<TaskStatus.Builder>) s -> s.setStateValue(99)),
        Arguments.of("status.state", (UnaryOperator<TaskStatus.Builder>) s -> s.setState(TaskState.TASK_STATE_PENDING)),
        Arguments.of("status.state", (UnaryOperator<TaskStatus.Builder>) s -> s.setState(TaskState.TASK_STATE_REMOVE)),
        Arguments.of("status.timestamp", (UnaryOperator<TaskStatus.Builder>) s ->
            s.setTimestamp(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))),
        Arguments.of("status.timestamp", (UnaryOperator<TaskStatus.Builder>) s ->
            s.setTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() + 2 * 86_400))),
        Arguments.of("status.timestamp", (UnaryOperator<TaskStatus.Builder>) s ->
            s.setTimestamp(Timestamp.newBuilder().setSeconds(1))),
        Arguments.of("status.timestamp", (UnaryOperator<TaskStatus.Builder>) s ->
            s.setTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(-1))),
        Arguments.of("status.start_time", (UnaryOperator<TaskStatus.Builder>) s ->
            s.setStartTime(Timestamp.newBuilder().setSeconds(Long.MIN_VALUE))),
        Arguments.of("status.message", (UnaryOperator<TaskStatus.Builder>) s -> s.setMessage("m".repeat(1025))),
        Arguments.of("status.err", (UnaryOperator<TaskStatus.Builder>) s -> s.setErr("é".repeat(2049))),
        Arguments.of("status.container_id", (UnaryOperator<TaskStatus.Builder>) s -> s.setContainerId("c".repeat(129))),
        Arguments.of("status.ports", (UnaryOperator<TaskStatus.Builder>) s -> {
          for (int i = 0; i < 1024; i++) {
            s.addPorts(port());
          }
          return s;
        }),
        Arguments.of("status.ports[1].host_ip", (UnaryOperator<TaskStatus.Builder>) s -> s.addPorts(port().setHostIp("10.0.0.6"))),
        Arguments.of("status.ports[1].host_ip", (UnaryOperator<TaskStatus.Builder>) s -> s.addPorts(port().setHostIp("0.0.0.0"))),
        Arguments.of("status.ports[1].host_ip", (UnaryOperator<TaskStatus.Builder>) s -> s.addPorts(port().setHostIp("evil.example"))),
        Arguments.of("status.ports[1].host_ip", (UnaryOperator<TaskStatus.Builder>) s -> s.addPorts(port().setHostIp(""))),
        Arguments.of("status.ports[1].host_port", (UnaryOperator<TaskStatus.Builder>) s -> s.addPorts(port().setHostPort(0))),
        Arguments.of("status.ports[1].target_port", (UnaryOperator<TaskStatus.Builder>) s -> s.addPorts(port().setTargetPort(-1))),
        Arguments.of("status.ports[1].protocol", (UnaryOperator<TaskStatus.Builder>) s -> s.addPorts(port().setProtocolValue(7))),
        Arguments.of("status.ports[1].publish_mode", (UnaryOperator<TaskStatus.Builder>) s ->
            s.addPorts(port().setPublishMode(PublishMode.PUBLISH_MODE_UNSPECIFIED))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badReports")
  void aReportPastALimitIsRefusedNamingTheField(String field, UnaryOperator<TaskStatus.Builder> change) {
    assertThatThrownBy(() -> check(change.apply(good())))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> org.assertj.core.api.Assertions
            .assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void aReportAtTheLimitsPasses() {
    assertThatCode(() -> check(good().setMessage("m".repeat(1024)).setErr("e".repeat(4096))
        .setContainerId("c".repeat(128)).addPorts(port().setHostPort(65535))
        .setTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() + 86_400))
        .setStartTime(Timestamp.newBuilder().setSeconds(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond()))))
        .doesNotThrowAnyException();
    assertThatCode(() -> check(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ACCEPTED))).doesNotThrowAnyException();
  }

  @Test
  void aNodeMayTellOnlyItsOwnAddressAsWhereItServesMetrics() {
    java.util.function.Function<String, RegisterNode> withMetrics = m -> RegisterNode.newBuilder().setNodeId("n1")
        .setDescription(NodeDescription.newBuilder().setAddr("10.231.0.11").setMetricsAddr(m)).build();
    assertThatCode(() -> SessionRequestValidator.register(withMetrics.apply("10.231.0.11:9404"))).doesNotThrowAnyException();
    assertThatCode(() -> SessionRequestValidator.register(withMetrics.apply(""))).doesNotThrowAnyException();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SessionRequestValidator.register(withMetrics.apply("10.0.0.9:9404")))
        .hasMessageContaining("RegisterNode.description.metrics_addr")
        .hasMessageContaining("must be this node's address 10.231.0.11 and a port, not '10.0.0.9:9404'");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SessionRequestValidator.register(withMetrics.apply("10.231.0.11:0")))
        .hasMessageContaining("must be 1-65535");
  }

  @Test
  void aNodeMayTellOnlyItsOwnAddressAsWhereItsAgentServes() {
    java.util.function.Function<String, RegisterNode> withAgent = a -> RegisterNode.newBuilder().setNodeId("n1")
        .setDescription(NodeDescription.newBuilder().setAddr("10.231.0.11").setAgentAddress(a)).build();
    assertThatCode(() -> SessionRequestValidator.register(withAgent.apply("10.231.0.11:7404"))).doesNotThrowAnyException();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SessionRequestValidator.register(withAgent.apply("127.0.0.1:7404")))
        .hasMessageContaining("RegisterNode.description.agent_address")
        .hasMessageContaining("must be this node's address 10.231.0.11 and a port, not '127.0.0.1:7404'");
  }

  @Test
  void anIpv6NodeMayNameItsAddressInAnyForm() {
    InetAddress v6 = SessionRequestValidator.register(RegisterNode.newBuilder().setNodeId("n1")
        .setDescription(NodeDescription.newBuilder().setAddr("fd00::5")).build());
    assertThatCode(() -> SessionRequestValidator.status(TaskStatusUpdate.newBuilder().setTaskId("t1")
        .setStatus(good().setPorts(0, port().setHostIp("fd00:0:0:0:0:0:0:5"))).build(), v6, NOW))
        .doesNotThrowAnyException();
  }

  static Stream<Arguments> badRegistrations() {
    return Stream.of(
        Arguments.of("RegisterNode.node_id", RegisterNode.newBuilder().setNodeId("")),
        Arguments.of("RegisterNode.node_id", RegisterNode.newBuilder().setNodeId("a/b")),
        Arguments.of("RegisterNode.node_id", RegisterNode.newBuilder().setNodeId("n".repeat(65))),
        Arguments.of("RegisterNode.description.addr", RegisterNode.newBuilder().setNodeId("n1")),
        Arguments.of("RegisterNode.description.addr", RegisterNode.newBuilder().setNodeId("n1")
            .setDescription(NodeDescription.newBuilder().setAddr("::"))),
        Arguments.of("RegisterNode.description.addr", RegisterNode.newBuilder().setNodeId("n1")
            .setDescription(NodeDescription.newBuilder().setAddr("224.0.0.1"))),
        Arguments.of("RegisterNode.description.hostname", RegisterNode.newBuilder().setNodeId("n1")
            .setDescription(NodeDescription.newBuilder().setAddr("10.0.0.5").setHostname("h".repeat(254)))),
        Arguments.of("RegisterNode.description.engine_labels[k]", RegisterNode.newBuilder().setNodeId("n1")
            .setDescription(NodeDescription.newBuilder().setAddr("10.0.0.5").putEngineLabels("k", "v".repeat(4097)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRegistrations")
  void aRegistrationPastALimitIsRefusedNamingTheField(String field, RegisterNode.Builder register) {
    assertThatThrownBy(() -> SessionRequestValidator.register(register.build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> org.assertj.core.api.Assertions
            .assertThat(e.field()).isEqualTo(field));
  }
}
