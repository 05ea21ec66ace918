package io.shoal.cli.format;

import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.TaskState;
import io.shoal.cli.parse.PortSpec;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How API values read in tables: Docker's capitalisation, truncated ids and digests. */
public final class Display {
  /** Docker truncates ids to 12 characters. */
  public static final int ID_LENGTH = 12;

  /** Docker's {@code service ps} error column: 30 characters, the last one an ellipsis. */
  public static final int ERROR_LENGTH = 30;

  private Display() {}

  /** {@code TASK_STATE_RUNNING} → {@code Running} (Docker's {@code command.PrettyPrint}). */
  public static String pretty(TaskState state) {
    return capitalize(strip(state.name(), "TASK_STATE_"));
  }

  /** {@code NODE_STATE_READY} → {@code Ready}. */
  public static String pretty(NodeState state) {
    return capitalize(strip(state.name(), "NODE_STATE_"));
  }

  /** {@code NODE_AVAILABILITY_ACTIVE} → {@code Active}. */
  public static String pretty(NodeAvailability availability) {
    return capitalize(strip(availability.name(), "NODE_AVAILABILITY_"));
  }

  /** {@code TASK_STATE_PREPARING} → {@code preparing}, as the progress bars name states. */
  public static String lower(TaskState state) {
    return strip(state.name(), "TASK_STATE_").toLowerCase(Locale.ROOT);
  }

  private static String strip(String name, String prefix) {
    if (name.equals(prefix + "UNSPECIFIED") || name.equals("UNRECOGNIZED")) {
      return "";
    }
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  private static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
  }

  /** The first 12 characters of an id, as Docker's {@code stringid.TruncateID}. */
  public static String shortId(String id) {
    return id.length() > ID_LENGTH ? id.substring(0, ID_LENGTH) : id;
  }

  /**
   * A pinned image with its digest cut to 12 hex digits: {@code nginx:1.27@sha256:0123456789ab}.
   * Unpinned images are shown as they are. {@code service ls} and {@code service ps} both use it;
   * {@code ps --no-trunc} and {@code inspect} show the full reference.
   */
  public static String shortImage(String image) {
    int at = image.indexOf("@sha256:");
    if (at < 0) {
      return image;
    }
    int hexStart = at + "@sha256:".length();
    return image.length() > hexStart + ID_LENGTH ? image.substring(0, hexStart + ID_LENGTH) : image;
  }

  /** Docker's error column: quoted, and cut to 30 characters with an ellipsis unless full. */
  public static String error(String err, boolean full) {
    if (err.isEmpty()) {
      return "";
    }
    String e = err.replace('\n', ' ');
    if (!full && e.length() > ERROR_LENGTH) {
      e = e.substring(0, ERROR_LENGTH - 1) + "…";
    }
    return "\"" + e + "\"";
  }

  /**
   * {@code service ls}'s PORTS: the routing-mesh ports as {@code *:8080->80/tcp}; an ingress port
   * without a published one as {@code 80/tcp}. Host-mode ports are per task and shown by {@code
   * service ps}, as in Docker.
   */
  public static String servicePorts(List<PortConfig> ports) {
    return ports.stream()
        .filter(p -> p.getPublishMode() != PublishMode.PUBLISH_MODE_HOST)
        .map(
            p ->
                (p.getPublishedPort() != 0 ? "*:" + p.getPublishedPort() + "->" : "")
                    + p.getTargetPort()
                    + "/"
                    + PortSpec.protocolName(p.getProtocol()))
        .collect(Collectors.joining(", "));
  }

  /** {@code service ps}'s PORTS: a task's host-mode bindings, {@code 127.0.0.2:8080->80/tcp}. */
  public static String taskPorts(List<PortBinding> bindings) {
    return bindings.stream()
        .filter(b -> b.getPublishMode() == PublishMode.PUBLISH_MODE_HOST)
        .map(
            b ->
                (b.getHostIp().isEmpty() ? "*" : b.getHostIp())
                    + ":"
                    + b.getHostPort()
                    + "->"
                    + b.getTargetPort()
                    + "/"
                    + PortSpec.protocolName(b.getProtocol()))
        .collect(Collectors.joining(","));
  }
}
