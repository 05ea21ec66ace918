package io.shoal.cli.events;

import io.shoal.api.v1.Event;
import io.shoal.common.time.Timestamps;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How {@code shoal events} shows an event: Docker's line, or Docker's JSON shape for --format. */
final class EventLines {
  /** RFC 3339 with nanoseconds, as Docker prints an event's time. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneOffset.UTC);

  private EventLines() {}

  /** {@code TIME TYPE ACTION ID (k=v, k=v)}, attributes sorted by key. */
  static String line(Event e) {
    String attributes = new TreeMap<>(e.getAttributesMap()).entrySet().stream()
        .map(a -> a.getKey() + "=" + a.getValue()).collect(Collectors.joining(", "));
    return TIME.format(Timestamps.toInstant(e.getTime())) + " " + e.getType() + " " + e.getAction() + " " + e.getId()
        + (attributes.isEmpty() ? "" : " (" + attributes + ")");
  }

  /**
   * What Docker's {@code --format} sees: Type, Action, Actor{ID, Attributes}, scope, time (Unix
   * seconds), timeNano; and Shoal's Revision, to resume after.
   */
  static Map<String, Object> dockerShape(Event e) {
    Instant t = Timestamps.toInstant(e.getTime());
    Map<String, Object> actor = new LinkedHashMap<>();
    actor.put("ID", e.getId());
    actor.put("Attributes", new TreeMap<>(e.getAttributesMap()));
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("Type", e.getType());
    shape.put("Action", e.getAction());
    shape.put("Actor", actor);
    shape.put("scope", "swarm");
    shape.put("time", t.getEpochSecond());
    shape.put("timeNano", t.getEpochSecond() * 1_000_000_000L + t.getNano());
    shape.put("Revision", e.getRevision());
    return shape;
  }
}
