package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.shoal.api.v1.RestartCondition;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import io.shoal.api.v1.UpdateFailureAction;
import io.shoal.api.v1.UpdateOrder;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The --restart-*, --update-* and --rollback-* flags, on create and update. */
class DeployFlagsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  static Duration secs(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  @Test
  void createSetsThePoliciesTheFlagsName() {
    Result r = cli.run("service", "create", "--name", "web", "--no-resolve-image", "-d",
        "--restart-condition", "on-failure", "--restart-delay", "2s", "--restart-max-attempts", "3",
        "--restart-window", "1m",
        "--update-parallelism", "2", "--update-delay", "10s", "--update-failure-action", "rollback",
        "--update-monitor", "30s", "--update-max-failure-ratio", "0.25", "--update-order", "start-first",
        "--rollback-parallelism", "0", "--rollback-failure-action", "continue", "--rollback-order", "stop-first",
        "img:1");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    ServiceSpec sent = cli.control().creates().get(0).getSpec();
    assertThat(sent.getRestartPolicy()).isEqualTo(RestartPolicy.newBuilder()
        .setCondition(RestartCondition.RESTART_CONDITION_ON_FAILURE).setDelay(secs(2)).setMaxAttempts(3)
        .setWindow(secs(60)).build());
    assertThat(sent.getUpdateConfig()).isEqualTo(UpdateConfig.newBuilder()
        .setParallelism(2).setDelay(secs(10)).setFailureAction(UpdateFailureAction.UPDATE_FAILURE_ACTION_ROLLBACK)
        .setMonitor(secs(30)).setMaxFailureRatio(0.25f).setOrder(UpdateOrder.UPDATE_ORDER_START_FIRST).build());
    assertThat(sent.getRollbackConfig()).isEqualTo(UpdateConfig.newBuilder()
        .setParallelism(0).setFailureAction(UpdateFailureAction.UPDATE_FAILURE_ACTION_CONTINUE)
        .setOrder(UpdateOrder.UPDATE_ORDER_STOP_FIRST).build());
  }

  @Test
  void noFlagsLeaveThePoliciesUnset() {
    cli.run("service", "create", "--name", "web", "--no-resolve-image", "-d", "img:1");

    ServiceSpec sent = cli.control().creates().get(0).getSpec();
    assertThat(sent.hasRestartPolicy()).isFalse();
    assertThat(sent.hasUpdateConfig()).isFalse();
    assertThat(sent.hasRollbackConfig()).isFalse();
  }

  @Test
  void aConfigMadeWithoutParallelismUpdatesOneTaskAtATimeAsDockers() {
    Result r = cli.run("service", "create", "--name", "web", "--no-resolve-image", "-d",
        "--update-delay", "10s", "--rollback-monitor", "3s", "img:1");

    assertThat(r.exitCode()).isZero();
    ServiceSpec sent = cli.control().creates().get(0).getSpec();
    assertThat(sent.getUpdateConfig()).isEqualTo(UpdateConfig.newBuilder().setParallelism(1).setDelay(secs(10)).build());
    assertThat(sent.getRollbackConfig()).isEqualTo(UpdateConfig.newBuilder().setParallelism(1).setMonitor(secs(3)).build());
  }

  @Test
  void updateChangesOnlyTheFlagsGiven() {
    ServiceSpec.Builder spec = Fixtures.replicated("web", "img:1", 2).toBuilder();
    spec.setRestartPolicy(RestartPolicy.newBuilder().setMaxAttempts(5).setDelay(secs(1)));
    spec.setUpdateConfig(UpdateConfig.newBuilder().setParallelism(3));
    cli.control().addService(spec.build());

    Result r = cli.run("service", "update", "-d", "--restart-delay", "9s", "--update-order", "start-first", "web");

    assertThat(r.exitCode()).isZero();
    ServiceSpec sent = cli.control().updates().get(0).getSpec();
    assertThat(sent.getRestartPolicy()).isEqualTo(RestartPolicy.newBuilder().setMaxAttempts(5).setDelay(secs(9)).build());
    assertThat(sent.getUpdateConfig()).isEqualTo(UpdateConfig.newBuilder().setParallelism(3)
        .setOrder(UpdateOrder.UPDATE_ORDER_START_FIRST).build());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--restart-condition|always|unknown restart condition \"always\" (use none, on-failure or any)",
      "--update-order|random|unknown update order \"random\" (use stop-first or start-first)",
      "--update-failure-action|retry|unknown failure action \"retry\" (use pause, continue or rollback)",
      "--rollback-failure-action|rollback|unknown rollback failure action \"rollback\" (use pause or continue)",
      "--update-max-failure-ratio|1.5|\"1.5\" is not a number between 0 and 1",
      "--restart-delay|5|missing unit",
  })
  void badValuesNameTheFlag(String flag, String value, String why) {
    Result r = cli.run("service", "create", "--name", "web", "-d", flag, value, "img:1");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(flag).contains(why);
    assertThat(cli.control().creates()).isEmpty();
  }
  @Test
  void placementAndResourceFlagsOnCreate() {
    Result r = cli.run("service", "create", "--name", "web", "--no-resolve-image", "-d",
        "--constraint", "node.labels.zone==east", "--constraint", "node.role!=manager",
        "--placement-pref", "spread=node.labels.rack", "--replicas-max-per-node", "2",
        "--reserve-cpu", "0.5", "--reserve-memory", "256m", "--limit-cpu", "1.25", "--limit-memory", "1g",
        "img:1");

    assertThat(r.err()).isEmpty();
    ServiceSpec sent = cli.control().creates().get(0).getSpec();
    assertThat(sent.getPlacement()).isEqualTo(io.shoal.api.v1.Placement.newBuilder()
        .addConstraints("node.labels.zone==east").addConstraints("node.role!=manager")
        .addPreferences(io.shoal.api.v1.PlacementPreference.newBuilder().setSpread("node.labels.rack"))
        .setMaxReplicas(2).build());
    assertThat(sent.getResources()).isEqualTo(io.shoal.api.v1.ResourceRequirements.newBuilder()
        .setReservations(io.shoal.api.v1.Resources.newBuilder().setNanoCpus(500_000_000L).setMemoryBytes(256L << 20))
        .setLimits(io.shoal.api.v1.Resources.newBuilder().setNanoCpus(1_250_000_000L).setMemoryBytes(1L << 30))
        .build());
  }

  @Test
  void placementEditsOnUpdate() {
    ServiceSpec.Builder spec = Fixtures.replicated("web", "img:1", 2).toBuilder();
    spec.setPlacement(io.shoal.api.v1.Placement.newBuilder().addConstraints("node.labels.zone==east")
        .addConstraints("node.hostname!=n9"));
    cli.control().addService(spec.build());

    Result r = cli.run("service", "update", "-d", "--constraint-rm", "node.hostname!=n9",
        "--constraint-add", "node.labels.ssd==true", "--placement-pref-add", "spread=node.labels.zone",
        "--reserve-memory", "64m", "web");

    assertThat(r.exitCode()).isZero();
    ServiceSpec sent = cli.control().updates().get(0).getSpec();
    assertThat(sent.getPlacement().getConstraintsList()).containsExactly("node.labels.zone==east", "node.labels.ssd==true");
    assertThat(sent.getPlacement().getPreferences(0).getSpread()).isEqualTo("node.labels.zone");
    assertThat(sent.getResources().getReservations().getMemoryBytes()).isEqualTo(64L << 20);
  }

  @ParameterizedTest
  @CsvSource({"512, 512", "1k, 1024", "1.5g, 1610612736", "64MiB, 67108864", "2Gb, 2147483648"})
  void memorySizesAsDocker(String text, long bytes) {
    assertThat(new ResourceOptions.MemoryConverter().convert(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--placement-pref|pack=node.labels.zone|the only placement preference is spread=node.labels.KEY",
      "--reserve-cpu|half|\"half\" is not a number of CPUs",
      "--limit-memory|lots|\"lots\" is not a size in bytes",
  })
  void badPlacementValuesNameTheFlag(String flag, String value, String why) {
    Result r = cli.run("service", "create", "--name", "web", "-d", flag, value, "img:1");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(flag).contains(why);
  }
}
