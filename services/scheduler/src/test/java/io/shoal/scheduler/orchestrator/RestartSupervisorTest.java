package io.shoal.scheduler.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.shoal.api.v1.RestartCondition;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestartSupervisorTest {
  static final long NOW = 1000;
  private final RestartSupervisor supervisor =
      new RestartSupervisor(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

  static Timestamp at(long seconds) {
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  static Duration secs(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  static Task ended(RestartPolicy policy, TaskState state, long endedAt, long... restarts) {
    Task.Builder t = Task.newBuilder().setId("t")
        .setSpec(ServiceSpec.newBuilder().setRestartPolicy(policy))
        .setCreateTime(at(endedAt - 1))
        .setStatus(TaskStatus.newBuilder().setState(state).setTimestamp(at(endedAt)));
    for (long r : restarts) {
      t.addRestarts(at(r));
    }
    return t.build();
  }

  static RestartPolicy.Builder policy() {
    return RestartPolicy.newBuilder();
  }

  static Stream<Arguments> cases() {
    RestartPolicy none = policy().setCondition(RestartCondition.RESTART_CONDITION_NONE).build();
    RestartPolicy onFailure = policy().setCondition(RestartCondition.RESTART_CONDITION_ON_FAILURE).setDelay(secs(0)).build();
    RestartPolicy max2 = policy().setMaxAttempts(2).setDelay(secs(0)).build();
    RestartPolicy max2In60s = policy().setMaxAttempts(2).setDelay(secs(0)).setWindow(secs(60)).build();
    return Stream.of(
        // policy, ended task, expected decision
        Arguments.of("defaults: any, 5s delay, still in the delay",
            ended(RestartPolicy.getDefaultInstance(), TaskState.TASK_STATE_FAILED, NOW - 2),
            new RestartSupervisor.Wait(Instant.ofEpochSecond(NOW + 3))),
        Arguments.of("defaults: delay over, restarted, unlimited keeps no count",
            ended(RestartPolicy.getDefaultInstance(), TaskState.TASK_STATE_COMPLETE, NOW - 5),
            new RestartSupervisor.Restart(List.of())),
        Arguments.of("none never restarts",
            ended(none, TaskState.TASK_STATE_FAILED, NOW - 100),
            new RestartSupervisor.GiveUp("restart condition is none")),
        Arguments.of("on-failure leaves a completed task",
            ended(onFailure, TaskState.TASK_STATE_COMPLETE, NOW),
            new RestartSupervisor.GiveUp("task completed and the restart condition is on-failure")),
        Arguments.of("on-failure restarts a failed task",
            ended(onFailure, TaskState.TASK_STATE_FAILED, NOW),
            new RestartSupervisor.Restart(List.of())),
        Arguments.of("on-failure restarts a rejected task",
            ended(onFailure, TaskState.TASK_STATE_REJECTED, NOW),
            new RestartSupervisor.Restart(List.of())),
        Arguments.of("first of two attempts",
            ended(max2, TaskState.TASK_STATE_FAILED, NOW),
            new RestartSupervisor.Restart(List.of(at(NOW)))),
        Arguments.of("second of two attempts",
            ended(max2, TaskState.TASK_STATE_FAILED, NOW, 900),
            new RestartSupervisor.Restart(List.of(at(900), at(NOW)))),
        Arguments.of("two attempts used",
            ended(max2, TaskState.TASK_STATE_FAILED, NOW, 900, 950),
            new RestartSupervisor.GiveUp("restarted 2 times (--restart-max-attempts 2)")),
        Arguments.of("attempts outside the window don't count",
            ended(max2In60s, TaskState.TASK_STATE_FAILED, NOW, 900, 950),
            new RestartSupervisor.Restart(List.of(at(950), at(NOW)))),
        Arguments.of("two attempts inside the window",
            ended(max2In60s, TaskState.TASK_STATE_FAILED, NOW, 960, 990),
            new RestartSupervisor.GiveUp("restarted 2 times within 1m (--restart-max-attempts 2)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, Task ended, RestartSupervisor.Decision expected) {
    assertThat(supervisor.decide(ended)).isEqualTo(expected);
  }
}
