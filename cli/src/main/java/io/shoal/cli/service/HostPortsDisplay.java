package io.shoal.cli.service;

import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.cli.format.Display;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

/**
 * {@code service inspect --pretty}'s "Host Ports:": where each running task of a service with
 * host-mode ports can be reached, including the port its node picked when the spec has no
 * published port. (Docker shows this only per task, in {@code docker inspect TASK}.)
 */
final class HostPortsDisplay {
  private HostPortsDisplay() {}

  /** Whether the service publishes a port in host mode, so its tasks are worth listing. */
  static boolean applies(Service service) {
    return service.getSpec().getEndpoint().getPortsList().stream()
        .anyMatch(p -> p.getPublishMode() == PublishMode.PUBLISH_MODE_HOST);
  }

  /** Prints the bindings of the tasks that should run and do; nothing when there are none. */
  static void print(PrintWriter out, List<Task> tasks) {
    List<Task> bound = tasks.stream()
        .filter(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
        .filter(t -> !Display.taskPorts(t.getStatus().getPortsList()).isEmpty())
        .sorted(Comparator.comparingLong(Task::getSlot).thenComparing(Task::getNodeId))
        .toList();
    if (bound.isEmpty()) {
      return;
    }
    out.println("Host Ports:");
    for (Task t : bound) {
      String service = t.getServiceName().isEmpty() ? t.getServiceId() : t.getServiceName();
      String name = service + "." + (t.getSlot() != 0 ? String.valueOf(t.getSlot()) : t.getNodeId());
      out.println(" " + name + " " + Display.taskPorts(t.getStatus().getPortsList()));
    }
  }
}
