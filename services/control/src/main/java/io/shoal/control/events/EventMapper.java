package io.shoal.control.events;

import com.google.protobuf.Message;
import com.google.protobuf.ProtocolMessageEnum;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.Event;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one stored change means to a user, as a Docker-style event (type, action, id, name,
 * attributes); empty when it means nothing to them (a task's status message, a heartbeat's
 * timestamp). Pure: the names of services and nodes that a change does not carry come from
 * {@link Names}.
 */
final class EventMapper {
  /** The tables whose changes make events; the rest (sessions, credentials, payloads) never do. */
  static final Set<String> TABLES =
      Set.of("services", "service_status", "tasks", "nodes", "node_registrations", "networks", "secrets", "configs");

  /** Names that a change of another table carries: a service's for its status, a node's hostname. */
  interface Names {
    String service(String id);

    String node(String id);
  }

  private EventMapper() {}

  /**
   * The event for a change of {@code table}'s object {@code id} from {@code before} to {@code
   * after} (null before: created; null after: removed), without its revision and time.
   */
  static Optional<Event.Builder> map(String table, String id, Message before, Message after, Names names) {
    return switch (table) {
      case "services" -> service(id, (Service) before, (Service) after);
      case "service_status" -> serviceStatus(id, (ServiceStatus) before, (ServiceStatus) after, names);
      case "tasks" -> task(id, (Task) before, (Task) after);
      case "nodes" -> node(id, (Node) before, (Node) after, names);
      case "node_registrations" -> registration(id, (NodeRegistration) before, (NodeRegistration) after);
      case "networks" -> simple("network", id, before, after, m -> ((Network) m).getSpec().getName(),
          m -> ((Network) m).getSpec());
      case "secrets" -> simple("secret", id, before, after, m -> ((Secret) m).getSpec().getName(),
          m -> ((Secret) m).getSpec());
      case "configs" -> simple("config", id, before, after, m -> ((Config) m).getSpec().getName(),
          m -> ((Config) m).getSpec());
      default -> Optional.empty();
    };
  }

  private static Optional<Event.Builder> service(String id, Service before, Service after) {
    Service current = after != null ? after : before;
    Event.Builder e = event("service", action(before, after), id, current.getSpec().getName());
    if (before != null && after != null) {
      if (before.getSpec().equals(after.getSpec())) {
        return Optional.empty();
      }
      changed(e, "replicas", replicas(before.getSpec()), replicas(after.getSpec()));
      changed(e, "image", before.getSpec().getContainer().getImage(), after.getSpec().getContainer().getImage());
    }
    return Optional.of(e);
  }

  private static String replicas(ServiceSpec spec) {
    return spec.hasGlobal() ? "global" : Long.toUnsignedString(spec.getReplicated().getReplicas());
  }

  /** The scheduler's status of a service: an event only when its update moves on. */
  private static Optional<Event.Builder> serviceStatus(String id, ServiceStatus before, ServiceStatus after,
      Names names) {
    String old = before == null ? "" : word(before.getUpdateStatus().getState());
    String now = after == null ? "" : word(after.getUpdateStatus().getState());
    if (after == null || old.equals(now) || now.isEmpty()) {
      return Optional.empty();
    }
    Event.Builder e = event("service", "update", id, names.service(id));
    changed(e, "updatestate", old, now);
    if (!after.getUpdateStatus().getMessage().isEmpty()) {
      e.putAttributes("updatestate.message", after.getUpdateStatus().getMessage());
    }
    return Optional.of(e);
  }

  /** A task: created, removed, or moved on in state, desired state or node. */
  private static Optional<Event.Builder> task(String id, Task before, Task after) {
    Task current = after != null ? after : before;
    Event.Builder e = event("task", action(before, after), id, taskName(current));
    if (before != null && after != null) {
      boolean moved = before.getStatus().getState() != after.getStatus().getState()
          || before.getDesiredState() != after.getDesiredState() || !before.getNodeId().equals(after.getNodeId());
      if (!moved) {
        return Optional.empty();
      }
      changed(e, "state", word(before.getStatus().getState()), word(after.getStatus().getState()));
    }
    e.putAttributes("service", current.getServiceName());
    e.putAttributes("service.id", current.getServiceId());
    e.putAttributes("state", word(current.getStatus().getState()));
    e.putAttributes("desired_state", word(current.getDesiredState()));
    if (!current.getNodeId().isEmpty()) {
      e.putAttributes("node.id", current.getNodeId());
    }
    if (!current.getStatus().getErr().isEmpty()) {
      e.putAttributes("error", current.getStatus().getErr());
    }
    return Optional.of(e);
  }

  /** {@code web.1}, or {@code web.NODE} for a global service's task, as `service ps` names it. */
  static String taskName(Task task) {
    return task.getServiceName() + "." + (task.getSlot() != 0 ? Long.toUnsignedString(task.getSlot()) : task.getNodeId());
  }

  /** Control's spec of a node: its availability and labels. */
  private static Optional<Event.Builder> node(String id, Node before, Node after, Names names) {
    Event.Builder e = event("node", action(before, after), id, names.node(id));
    if (before != null && after != null) {
      if (before.getSpec().equals(after.getSpec())) {
        return Optional.empty();
      }
      changed(e, "availability", word(before.getSpec().getAvailability()), word(after.getSpec().getAvailability()));
    }
    return Optional.of(e);
  }

  /** What a node's agent reports: an event when the node turns ready or down. */
  private static Optional<Event.Builder> registration(String id, NodeRegistration before, NodeRegistration after) {
    if (before == null || after == null || before.getStatus().getState() == after.getStatus().getState()) {
      return Optional.empty();
    }
    Event.Builder e = event("node", "update", id, after.getDescription().getHostname());
    changed(e, "state", word(before.getStatus().getState()), word(after.getStatus().getState()));
    if (!after.getStatus().getMessage().isEmpty()) {
      e.putAttributes("state.message", after.getStatus().getMessage());
    }
    return Optional.of(e);
  }

  private static Optional<Event.Builder> simple(String type, String id, Message before, Message after,
      java.util.function.Function<Message, String> name, java.util.function.Function<Message, Message> spec) {
    if (before != null && after != null && spec.apply(before).equals(spec.apply(after))) {
      return Optional.empty();
    }
    return Optional.of(event(type, action(before, after), id, name.apply(after != null ? after : before)));
  }

  private static Event.Builder event(String type, String action, String id, String name) {
    Event.Builder e = Event.newBuilder().setType(type).setAction(action).setId(id).setName(name);
    e.putAttributes("name", name);
    return e;
  }

  private static String action(Object before, Object after) {
    return before == null ? "create" : after == null ? "remove" : "update";
  }

  private static void changed(Event.Builder e, String key, String old, String now) {
    if (!Objects.equals(old, now)) {
      e.putAttributes(key + ".old", old);
      e.putAttributes(key + ".new", now);
    }
  }

  /** TASK_STATE_RUNNING → running, NODE_AVAILABILITY_DRAIN → drain: the enum's last words, as Docker writes them. */
  static String word(ProtocolMessageEnum value) {
    String name = ((Enum<?>) value).name();
    String[] prefixes = {"TASK_STATE_", "NODE_STATE_", "NODE_AVAILABILITY_", "UPDATE_STATE_"};
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        name = name.substring(prefix.length());
        break;
      }
    }
    return name.equals("UNSPECIFIED") || name.equals("UNRECOGNIZED") ? "" : name.toLowerCase(Locale.ROOT);
  }
}
