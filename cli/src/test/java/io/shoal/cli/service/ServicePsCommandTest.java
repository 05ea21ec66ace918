package io.shoal.cli.service;

import static io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_ACTIVE;
import static io.shoal.api.v1.NodeState.NODE_STATE_READY;
import static io.shoal.api.v1.TaskState.TASK_STATE_FAILED;
import static io.shoal.api.v1.TaskState.TASK_STATE_PENDING;
import static io.shoal.api.v1.TaskState.TASK_STATE_PREPARING;
import static io.shoal.api.v1.TaskState.TASK_STATE_RUNNING;
import static io.shoal.api.v1.TaskState.TASK_STATE_SHUTDOWN;
import static io.shoal.cli.testing.Fixtures.node;
import static io.shoal.cli.testing.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskStatus;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import io.shoal.cli.testing.TableOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServicePsCommandTest {
  static final String[] COLUMNS = {
    "ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR", "PORTS"
  };
  static final String IMAGE = "nginx:1.27@" + Fixtures.DIGEST;

  @RegisterExtension final CliHarness cli = new CliHarness();

  Service web;

  @BeforeEach
  void seed() {
    cli.control().addNode(node("node1id", "node-1", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE));
    cli.control().addNode(node("node2id", "node-2", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE));
    ServiceSpec spec = Fixtures.replicated("web", IMAGE, 2);
    web = cli.control().addService(spec);
    // Slot 1: running for 2 s, after a failed first try 70 s ago.
    add(
        task(
                "aaaaaaaaaaaaaaaaaaaaaaaaa",
                web.getId(),
                spec,
                1,
                TASK_STATE_RUNNING,
                TASK_STATE_RUNNING,
                ago(2),
                ago(2))
            .setNodeId("node1id")
            .setStatus(
                TaskStatus.newBuilder()
                    .setState(TASK_STATE_RUNNING)
                    .setTimestamp(Fixtures.ts(ago(2)))
                    .addPorts(
                        PortBinding.newBuilder()
                            .setProtocol(Protocol.PROTOCOL_TCP)
                            .setTargetPort(80)
                            .setHostIp("127.0.0.1")
                            .setHostPort(8080)
                            .setPublishMode(PublishMode.PUBLISH_MODE_HOST))));
    add(
        task(
                "bbbbbbbbbbbbbbbbbbbbbbbbb",
                web.getId(),
                spec,
                1,
                TASK_STATE_SHUTDOWN,
                TASK_STATE_FAILED,
                ago(70),
                ago(70))
            .setNodeId("node2id")
            .setStatus(
                TaskStatus.newBuilder()
                    .setState(TASK_STATE_FAILED)
                    .setTimestamp(Fixtures.ts(ago(65)))
                    .setErr("task: non-zero exit (137): container killed")));
    // Slot 2: preparing for 1 s; before it, one pending for 3 s (listed first by the server).
    add(
        task(
            "ccccccccccccccccccccccccc",
            web.getId(),
            spec,
            2,
            TASK_STATE_SHUTDOWN,
            TASK_STATE_PENDING,
            ago(10),
            ago(3)));
    add(
        task(
                "ddddddddddddddddddddddddd",
                web.getId(),
                spec,
                2,
                TASK_STATE_RUNNING,
                TASK_STATE_PREPARING,
                ago(1),
                ago(1))
            .setNodeId("node2id"));
  }

  @Test
  void listsTasksLikeDocker() {
    Result r = cli.run("service", "ps", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(TableOutput.rows(r.outLines(), COLUMNS))
        .containsExactly(
            List.of(
                "aaaaaaaaaaaa",
                "web.1",
                "nginx:1.27@sha256:0123456789ab",
                "node-1",
                "Running",
                "Running 2 seconds ago",
                "",
                "127.0.0.1:8080->80/tcp"),
            List.of(
                "bbbbbbbbbbbb",
                "\\_ web.1",
                "nginx:1.27@sha256:0123456789ab",
                "node-2",
                "Shutdown",
                "Failed about a minute ago",
                "\"task: non-zero exit (137): co…\"",
                ""),
            List.of(
                "dddddddddddd",
                "web.2",
                "nginx:1.27@sha256:0123456789ab",
                "node-2",
                "Running",
                "Preparing 1 second ago",
                "",
                ""),
            List.of(
                "cccccccccccc",
                "\\_ web.2",
                "nginx:1.27@sha256:0123456789ab",
                "",
                "Shutdown",
                "Pending 3 seconds ago",
                "",
                ""));
    assertThat(r.outLines().get(2)).startsWith("bbbbbbbbbbbb    \\_ web.1   ");
  }

  @Test
  void noTruncShowsFullIdsImagesAndErrors() {
    Result r = cli.run("service", "ps", "--no-trunc", "web");
    List<List<String>> rows = TableOutput.rows(r.outLines(), COLUMNS);
    assertThat(rows.get(1))
        .containsExactly(
            "bbbbbbbbbbbbbbbbbbbbbbbbb",
            "\\_ web.1",
            IMAGE,
            "node-2",
            "Shutdown",
            "Failed about a minute ago",
            "\"task: non-zero exit (137): container killed\"",
            "");
  }

  @Test
  void aServiceTheSchedulerCantReconcileIsNamedWithItsReasonAfterTheTable() {
    cli.control().setReconcileError("web", "update_config.delay: 100000000000000000s is above the limit");

    Result r = cli.run("service", "ps", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(TableOutput.rows(r.outLines(), COLUMNS)).hasSize(4);
    assertThat(r.errLines()).containsExactly("shoal: warning: service web is not reconciled by the scheduler:"
        + " update_config.delay: 100000000000000000s is above the limit");
  }

  @Test
  void quietPrintsTaskIds() {
    Result r = cli.run("service", "ps", "-q", "web");
    assertThat(r.outLines())
        .containsExactly("aaaaaaaaaaaa", "bbbbbbbbbbbb", "dddddddddddd", "cccccccccccc");
  }

  @Test
  void globalTasksAreNamedByNode() {
    ServiceSpec spec = Fixtures.global("agent", "agent:1");
    Service agent = cli.control().addService(spec);
    add(
        task(
                "eeeeeeeeeeeeeeeeeeeeeeeee",
                agent.getId(),
                spec,
                0,
                TASK_STATE_RUNNING,
                TASK_STATE_RUNNING,
                ago(5),
                ago(5))
            .setNodeId("node2id"));
    Result r = cli.run("service", "ps", "agent");
    assertThat(TableOutput.rows(r.outLines(), COLUMNS))
        .extracting(row -> row.get(1) + " on " + row.get(3))
        .containsExactly("agent.node2id on node-2");
  }

  @Test
  void unknownServiceIsAnError() {
    Result r = cli.run("service", "ps", "web", "nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: service nope not found (NOT_FOUND)");
    assertThat(r.outLines()).hasSize(5);
  }

  private Instant ago(int seconds) {
    return CliHarness.START.minus(Duration.ofSeconds(seconds));
  }

  private void add(Task.Builder t) {
    cli.control().addTask(t.build());
  }
}
