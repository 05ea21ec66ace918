package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusRejected;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node that sends what no agent should, against a dispatcher on TCP and a real etcd: each bad
 * report is refused with the field at fault, nothing of it is stored, its session goes on, and
 * the other nodes' reports are stored as before.
 */
@ExtendWith(EtcdExtension.class)
class HostileAgentIT {
  private NettyDispatcher dispatcher;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    dispatcher = new NettyDispatcher(etcd);
  }

  @AfterEach
  void stop() {
    dispatcher.close();
  }

  private static TaskStatus running() {
    return TaskStatus.newBuilder().setState(TaskState.TASK_STATE_RUNNING).setMessage("started")
        .setTimestamp(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000)).build();
  }

  private static PortBinding binding(String hostIp) {
    return PortBinding.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(80).setHostIp(hostIp)
        .setHostPort(30080).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS).build();
  }

  @Test
  void badReportsAreRefusedAndGoodOnesStillLand() {
    dispatcher.createTask("bad-task", "hostile");
    dispatcher.createTask("good-task", "good");
    TestAgent hostile = new TestAgent(dispatcher.channel()).register("hostile", "127.0.0.10");
    TestAgent good = new TestAgent(dispatcher.channel()).register("good", "127.0.0.11");
    await().atMost(Duration.ofSeconds(10)).until(() -> hostile.started() && good.started()
        && !hostile.assignments().isEmpty() && !good.assignments().isEmpty());

    hostile.report("bad-task", running().toBuilder().setStateValue(99).build());
    hostile.report("bad-task", running().toBuilder().setTimestamp(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build());
    hostile.report("bad-task", running().toBuilder().addPorts(binding("10.1.2.3")).build());
    hostile.report("bad-task", running().toBuilder().setErr("x".repeat(1 << 20)).build());
    hostile.report("bad-task", running().toBuilder().setContainerId("c".repeat(1000)).build());
    hostile.report("bad-task", running().toBuilder().addPorts(binding("127.0.0.10").toBuilder().setHostPort(70000)).build());
    hostile.report("good-task", running().toBuilder().setStateValue(TaskState.TASK_STATE_FAILED_VALUE).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> hostile.rejections().size() == 7);
    assertThat(hostile.rejections()).extracting(TaskStatusRejected::getField).containsExactly(
        "status.state", "status.timestamp", "status.ports[0].host_ip", "status.err", "status.container_id",
        "status.ports[0].host_port", "task_id");
    assertThat(hostile.rejections().get(2).getDescription()).contains("127.0.0.10");
    assertThat(dispatcher.metrics.count("rejected.status.ports.host_ip")).isEqualTo(1);
    assertThat(dispatcher.metrics.count("rejected.status.state")).isEqualTo(1);

    // The hostile node's session goes on, and what it reports right is stored.
    hostile.report("bad-task", running().toBuilder().addPorts(binding("127.0.0.10")).build());
    good.report("good-task", running());
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.state("good-task") == TaskState.TASK_STATE_RUNNING
        && dispatcher.state("bad-task") == TaskState.TASK_STATE_RUNNING);
    assertThat(hostile.error).isNull();
    assertThat(dispatcher.store.get(io.shoal.common.store.Tables.TASKS, "bad-task").orElseThrow()
        .getStatus().getPortsList()).containsExactly(binding("127.0.0.10"));
    hostile.close();
    good.close();
  }

  @Test
  void aRegistrationWithoutAUsableAddressEndsWithInvalidArgument() {
    TestAgent wildcard = new TestAgent(dispatcher.channel()).register("wild", "0.0.0.0");
    TestAgent named = new TestAgent(dispatcher.channel()).register("named", "evil.example.com");
    TestAgent slashed = new TestAgent(dispatcher.channel()).register("../nodes/x", "127.0.0.12");

    await().atMost(Duration.ofSeconds(10)).until(() ->
        wildcard.error != null && named.error != null && slashed.error != null);
    for (TestAgent agent : java.util.List.of(wildcard, named, slashed)) {
      assertThat(io.grpc.Status.fromThrowable(agent.error).getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    }
    assertThat(io.grpc.Status.fromThrowable(named.error).getDescription()).contains("RegisterNode.description.addr");
    assertThat(dispatcher.store.list(io.shoal.common.store.Tables.NODE_REGISTRATIONS).items()).isEmpty();
  }
}
