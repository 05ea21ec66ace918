package io.shoal.control.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the page draws, read at one etcd revision: nodes (registration and spec), services with
 * desired and running counts, and the tasks meant to run (desired state up to running), each
 * with its state, slot, node, message and error (a pending task's message is why it waits).
 */
final class ClusterSnapshot {
  private ClusterSnapshot() {}

  static JsonObject read(EtcdStore store) {
    long revision = store.currentRevision();
    List<NodeRegistration> registrations = store.list(Tables.NODE_REGISTRATIONS, revision).items();
    Map<String, Node> specs = new HashMap<>();
    store.list(Tables.NODES, revision).items().forEach(n -> specs.put(n.getId(), n));
    List<Service> services = store.list(Tables.SERVICES, revision).items();
    List<Task> tasks = store.list(Tables.TASKS, revision).items().stream()
        .filter(t -> t.getDesiredState().getNumber() <= TaskState.TASK_STATE_RUNNING_VALUE)
        .toList();
    return of(revision, registrations, specs, services, tasks);
  }

  /** The JSON of what was read (pure, for tests). */
  static JsonObject of(long revision, List<NodeRegistration> registrations, Map<String, Node> specs,
      List<Service> services, List<Task> tasks) {
    JsonObject root = new JsonObject();
    root.addProperty("revision", revision);
    JsonArray nodes = new JsonArray();
    for (NodeRegistration r : registrations) {
      JsonObject n = new JsonObject();
      n.addProperty("id", r.getId());
      n.addProperty("hostname", r.getDescription().getHostname());
      n.addProperty("state", word(r.getStatus().getState().name(), "NODE_STATE_"));
      Node spec = specs.get(r.getId());
      n.addProperty("availability", spec == null ? "active"
          : word(spec.getSpec().getAvailability().name(), "NODE_AVAILABILITY_"));
      nodes.add(n);
    }
    root.add("nodes", nodes);
    Map<String, int[]> running = new HashMap<>();
    Map<String, Integer> meant = new HashMap<>();
    for (Task t : tasks) {
      meant.merge(t.getServiceId(), 1, Integer::sum);
      if (t.getStatus().getState() == TaskState.TASK_STATE_RUNNING
          && t.getDesiredState() == TaskState.TASK_STATE_RUNNING) {
        running.computeIfAbsent(t.getServiceId(), k -> new int[1])[0]++;
      }
    }
    JsonArray serviceList = new JsonArray();
    for (Service s : services) {
      JsonObject o = new JsonObject();
      o.addProperty("id", s.getId());
      o.addProperty("name", s.getSpec().getName());
      boolean global = s.getSpec().hasGlobal();
      o.addProperty("mode", global ? "global" : "replicated");
      // A global service means one task per eligible node: those the scheduler made.
      o.addProperty("desired", global ? meant.getOrDefault(s.getId(), 0) : s.getSpec().getReplicated().getReplicas());
      o.addProperty("running", running.getOrDefault(s.getId(), new int[1])[0]);
      o.addProperty("image", s.getSpec().getContainer().getImage());
      JsonArray ports = new JsonArray();
      for (PortConfig p : s.getSpec().getEndpoint().getPortsList()) {
        if (p.getPublishedPort() != 0) {
          ports.add(p.getPublishedPort());
        }
      }
      o.add("ports", ports);
      o.addProperty("error", s.getReconcileError());
      serviceList.add(o);
    }
    root.add("services", serviceList);
    JsonArray taskList = new JsonArray();
    for (Task t : tasks) {
      JsonObject o = new JsonObject();
      o.addProperty("id", t.getId());
      o.addProperty("serviceId", t.getServiceId());
      o.addProperty("serviceName", t.getServiceName());
      o.addProperty("slot", t.getSlot());
      o.addProperty("nodeId", t.getNodeId());
      o.addProperty("state", word(t.getStatus().getState().name(), "TASK_STATE_"));
      o.addProperty("desiredState", word(t.getDesiredState().name(), "TASK_STATE_"));
      o.addProperty("message", t.getStatus().getMessage());
      o.addProperty("error", t.getStatus().getErr());
      taskList.add(o);
    }
    root.add("tasks", taskList);
    return root;
  }

  /** {@code TASK_STATE_RUNNING} as Docker says it: {@code running}. */
  static String word(String enumName, String prefix) {
    String rest = enumName.startsWith(prefix) ? enumName.substring(prefix.length()) : enumName;
    return rest.toLowerCase(Locale.ROOT);
  }
}
