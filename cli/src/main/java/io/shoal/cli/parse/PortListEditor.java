package io.shoal.cli.parse;

import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --publish-rm} / {@code --publish-add} edit of a service's ports.
 *
 * <p>Removals run first, then additions, as in Docker. A removal names a port by its published port
 * ({@code 8080}, {@code 8080:80}, {@code published=8080,...}) and protocol (tcp unless given); a
 * bare number also matches a port that has no published port but that target ({@code -p 80}). An
 * addition replaces a port with the same published port and protocol (so {@code --publish-add
 * 8080:81} moves 8080 to a new target) and is skipped if an identical port is already there;
 * otherwise it is appended.
 */
public final class PortListEditor {
  private PortListEditor() {}

  /** The edited list, plus the removals that matched nothing (the caller warns about them). */
  public record Result(List<PortConfig> ports, List<PortConfig> unmatchedRemovals) {}

  public static Result edit(
      List<PortConfig> current, List<PortConfig> add, List<PortConfig> remove) {
    List<PortConfig> ports = new ArrayList<>(current);
    List<PortConfig> unmatched = new ArrayList<>();
    for (PortConfig rm : remove) {
      if (!ports.removeIf(p -> matchesRemoval(p, rm))) {
        unmatched.add(rm);
      }
    }
    for (PortConfig a : add) {
      PortConfig normalized = normalize(a);
      if (ports.stream().map(PortListEditor::normalize).anyMatch(normalized::equals)) {
        continue;
      }
      int same = indexOfSamePublished(ports, a);
      if (same >= 0) {
        ports.set(same, a);
      } else {
        ports.add(a);
      }
    }
    return new Result(List.copyOf(ports), List.copyOf(unmatched));
  }

  private static boolean matchesRemoval(PortConfig port, PortConfig rm) {
    if (protocol(port) != protocol(rm)) {
      return false;
    }
    if (rm.getPublishedPort() != 0) {
      return port.getPublishedPort() == rm.getPublishedPort();
    }
    // A bare number: read it as the published port, or as the target of a port with none.
    int n = rm.getTargetPort();
    return port.getPublishedPort() == n
        || (port.getPublishedPort() == 0 && port.getTargetPort() == n);
  }

  private static int indexOfSamePublished(List<PortConfig> ports, PortConfig a) {
    if (a.getPublishedPort() == 0) {
      return -1;
    }
    for (int i = 0; i < ports.size(); i++) {
      PortConfig p = ports.get(i);
      if (p.getPublishedPort() == a.getPublishedPort() && protocol(p) == protocol(a)) {
        return i;
      }
    }
    return -1;
  }

  private static Protocol protocol(PortConfig p) {
    return p.getProtocol() == Protocol.PROTOCOL_UNSPECIFIED
        ? Protocol.PROTOCOL_TCP
        : p.getProtocol();
  }

  /** Spells out the server's defaults so "unspecified" and "tcp"/"ingress" compare equal. */
  private static PortConfig normalize(PortConfig p) {
    PortConfig.Builder b = p.toBuilder().setProtocol(protocol(p));
    if (p.getPublishMode() == PublishMode.PUBLISH_MODE_UNSPECIFIED) {
      b.setPublishMode(PublishMode.PUBLISH_MODE_INGRESS);
    }
    return b.build();
  }
}
