package io.shoal.scheduler.orchestrator;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.time.Timestamps;
import java.time.Clock;
import java.util.function.Supplier;

/** Makes new tasks of a service: a copy of its spec, desired RUNNING, state NEW. */
public final class TaskFactory {
  private final Clock clock;
  private final Supplier<String> ids;

  public TaskFactory(Clock clock, Supplier<String> ids) {
    this.clock = clock;
    this.ids = ids;
  }

  public Task newTask(Service service, long slot, String nodeId) {
    Timestamp now = now();
    return Task.newBuilder()
        .setId(ids.get())
        .setServiceId(service.getId())
        .setServiceName(service.getSpec().getName())
        .setSlot(slot)
        .setNodeId(nodeId)
        .setSpec(service.getSpec())
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_NEW).setTimestamp(now).setMessage("created"))
        .setCreateTime(now)
        .build();
  }

  public Timestamp now() {
    return Timestamps.now(clock);
  }
}
