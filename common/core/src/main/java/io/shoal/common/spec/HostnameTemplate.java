package io.shoal.common.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --hostname} template: text with Swarm's placeholders, the small part of Go's
 * text/template that Swarm's task context answers ({@code {{.Service.Name}}}, {@code
 * {{.Task.Slot}}}, {@code {{index .Service.Labels "KEY"}}} ...). Control parses it to refuse a bad
 * one before it is stored; the agent renders it for each task. Pure: no I/O.
 */
public final class HostnameTemplate {
  /**
   * What a task's template sees, as Swarm fills it in.
   *
   * @param taskName {@code <service>.<slot>.<task id>}, the node id in place of the slot for a
   *     global service's task
   * @param taskSlot the slot, or the node id for a global service's task
   */
  public record Context(String serviceId, String serviceName, Map<String, String> serviceLabels,
      String nodeId, String nodeHostname, String taskId, String taskName, String taskSlot) {
    public Context {
      serviceLabels = Map.copyOf(serviceLabels);
    }

    /** Swarm's context for a task of a service; {@code slot} 0 marks a global service's task. */
    public static Context of(String serviceId, String serviceName, Map<String, String> serviceLabels,
        String nodeId, String nodeHostname, String taskId, long slot) {
      String taskSlot = slot == 0 ? nodeId : Long.toUnsignedString(slot);
      return new Context(serviceId, serviceName, serviceLabels, nodeId, nodeHostname, taskId,
          serviceName + "." + taskSlot + "." + taskId, taskSlot);
    }
  }

  private enum Field {
    SERVICE_ID(".Service.ID"),
    SERVICE_NAME(".Service.Name"),
    SERVICE_LABELS(".Service.Labels"),
    NODE_ID(".Node.ID"),
    NODE_HOSTNAME(".Node.Hostname"),
    TASK_ID(".Task.ID"),
    TASK_NAME(".Task.Name"),
    TASK_SLOT(".Task.Slot");

    final String path;

    Field(String path) {
      this.path = path;
    }
  }

  /** A literal, a field, or a service label by key. */
  private record Part(String literal, Field field, String labelKey) {}

  private static final Pattern INDEX =
      Pattern.compile("index\\s+\\.Service\\.Labels\\s+(?:\"([^\"\\\\]*)\"|`([^`]*)`)");

  private final List<Part> parts;

  private HostnameTemplate(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the first action that is unclosed or unknown
   */
  public static HostnameTemplate parse(String text) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf("{{", at);
      if (open < 0) {
        parts.add(new Part(text.substring(at), null, null));
        break;
      }
      if (open > at) {
        parts.add(new Part(text.substring(at, open), null, null));
      }
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed action at character " + open + " (missing }})");
      }
      parts.add(action(text.substring(open + 2, close).strip()));
      at = close + 2;
    }
    return new HostnameTemplate(parts);
  }

  private static Part action(String action) {
    for (Field f : Field.values()) {
      if (f.path.equals(action)) {
        return new Part(null, f, null);
      }
    }
    Matcher index = INDEX.matcher(action);
    if (index.matches()) {
      return new Part(null, null, index.group(1) != null ? index.group(1) : index.group(2));
    }
    throw new IllegalArgumentException("unknown placeholder {{" + action + "}} (use .Service.ID,"
        + " .Service.Name, .Service.Labels, index .Service.Labels \"KEY\", .Node.ID, .Node.Hostname,"
        + " .Task.ID, .Task.Name or .Task.Slot)");
  }

  /** The text with each placeholder replaced; a missing label renders empty, as Go's does. */
  public String render(Context c) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (p.literal() != null) {
        out.append(p.literal());
      } else if (p.labelKey() != null) {
        out.append(c.serviceLabels().getOrDefault(p.labelKey(), ""));
      } else {
        out.append(switch (p.field()) {
          case SERVICE_ID -> c.serviceId();
          case SERVICE_NAME -> c.serviceName();
          case SERVICE_LABELS -> goMap(c.serviceLabels());
          case NODE_ID -> c.nodeId();
          case NODE_HOSTNAME -> c.nodeHostname();
          case TASK_ID -> c.taskId();
          case TASK_NAME -> c.taskName();
          case TASK_SLOT -> c.taskSlot();
        });
      }
    }
    return out.toString();
  }

  /** A map as Go's fmt prints it: {@code map[k1:v1 k2:v2]}, keys sorted. */
  private static String goMap(Map<String, String> map) {
    StringBuilder out = new StringBuilder("map[");
    new TreeMap<>(map).forEach((k, v) -> out.append(out.length() > 4 ? " " : "").append(k).append(':').append(v));
    return out.append(']').toString();
  }
}
