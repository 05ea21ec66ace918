package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.cli.progress.Convergence;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code service rollback}, and how rollbacks and update status show. */
class ServiceRollbackCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  @Test
  void asksControlForTheRollbackWithTheVersionRead() {
    Service web = cli.control().addService(Fixtures.replicated("web", "img:1", 2));

    Result r = cli.run("service", "rollback", "-d", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("web");
    UpdateServiceRequest sent = cli.control().updates().get(0);
    assertThat(sent.getRollback()).isTrue();
    assertThat(sent.getServiceId()).isEqualTo(web.getId());
    assertThat(sent.getVersion()).isEqualTo(web.getVersion());
  }

  @Test
  void noPreviousSpecIsOneLine() {
    cli.control().addService(Fixtures.replicated("web", "img:1", 2));
    cli.control().failNext("UpdateService",
        Status.FAILED_PRECONDITION.withDescription("service web has no previous spec to roll back to; it was never updated"));

    Result r = cli.run("service", "rollback", "-d", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("service web has no previous spec to roll back to");
  }

  /** Control swaps the specs on a rollback (as Swarm), so the spec is always what should run. */
  @ParameterizedTest
  @EnumSource(value = UpdateState.class, names = "UNRECOGNIZED", mode = EnumSource.Mode.EXCLUDE)
  void convergenceIsJudgedAgainstTheSpecWhateverTheUpdateState(UpdateState state) {
    ServiceSpec v1 = Fixtures.replicated("web", "img:1", 2);
    ServiceSpec failed = Fixtures.replicated("web", "img:2", 2);
    Service rolledBack = Service.newBuilder().setId("svc-web").setSpec(v1).setPreviousSpec(failed)
        .setUpdateStatus(UpdateStatus.newBuilder().setState(state)).build();
    List<Task> tasks = List.of(
        Fixtures.task("a", v1, 1, TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING, 5).build(),
        Fixtures.task("b", v1, 2, TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING, 5).build());

    assertThat(Convergence.evaluate(rolledBack, tasks, List.of()).done()).isTrue();
  }

  @Test
  void anUpdateAfterARollbackStartsFromTheRolledBackSpec() {
    cli.control().addService(Fixtures.replicated("web", "img:1", 2));
    assertThat(cli.run("service", "update", "-d", "--no-resolve-image", "--image", "img:2", "web").exitCode())
        .isZero();
    assertThat(cli.run("service", "rollback", "-d", "web").exitCode()).isZero();
    assertThat(cli.control().service("web").getSpec().getContainer().getImage()).isEqualTo("img:1");

    Result r = cli.run("service", "update", "-d", "--env-add", "MODE=safe", "web");

    assertThat(r.exitCode()).isZero();
    ServiceSpec sent = cli.control().updates().get(cli.control().updates().size() - 1).getSpec();
    assertThat(sent.getContainer().getImage()).isEqualTo("img:1");
    assertThat(sent.getContainer().getEnvList()).containsExactly("MODE=safe");
  }

  @ParameterizedTest
  @CsvSource({
    "UPDATE_STATE_UPDATING, 0/2 (updating)",
    "UPDATE_STATE_PAUSED, 0/2 (update paused)",
    "UPDATE_STATE_ROLLBACK_STARTED, 0/2 (rolling back)",
    "UPDATE_STATE_ROLLBACK_PAUSED, 0/2 (rollback paused)",
    "UPDATE_STATE_COMPLETED, 0/2",
  })
  void lsShowsAnUpdateUnderWay(UpdateState state, String replicas) {
    Service s = Service.newBuilder().setSpec(Fixtures.replicated("web", "img:1", 2)).build();
    assertThat(DeployDisplay.updateSuffix(s.toBuilder()
        .setUpdateStatus(UpdateStatus.newBuilder().setState(state)).build()))
        .isEqualTo(replicas.substring("0/2".length()));
  }

  @Test
  void inspectPrettyShowsTheUpdateStatus() {
    Service web = cli.control().addService(Fixtures.replicated("web", "img:1", 2));
    java.io.StringWriter text = new java.io.StringWriter();
    java.io.PrintWriter out = new java.io.PrintWriter(text);

    ServiceInspectCommand.printPretty(out, web.toBuilder().setUpdateStatus(UpdateStatus.newBuilder()
        .setState(UpdateState.UPDATE_STATE_PAUSED)
        .setMessage("update paused due to failure or early termination of task abc")).build());
    out.flush();

    assertThat(text.toString()).contains("UpdateStatus:\n State:           paused\n"
        + " Message:         update paused due to failure or early termination of task abc\n");
  }
}
