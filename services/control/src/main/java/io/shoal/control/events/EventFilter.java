package io.shoal.control.events;

import io.shoal.api.v1.Event;
import io.shoal.common.errors.InvalidArgumentException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's event filters (`--filter type=service --filter name=web`): values of one key are
 * alternatives, and every key given must match. {@code name} matches the object's name, and a
 * task's service name too, so `name=web` follows a service and its tasks.
 */
final class EventFilter {
  static final int MAX_FILTERS = 64;
  static final int MAX_VALUE_BYTES = 256;
  static final Set<String> TYPES = Set.of("service", "task", "node", "network", "secret", "config");
  static final Set<String> ACTIONS = Set.of("create", "update", "remove");
  private static final Set<String> KEYS = Set.of("type", "name", "id", "event");

  private final Map<String, Set<String>> values;

  private EventFilter(Map<String, Set<String>> values) {
    this.values = values;
  }

  /** Everything passes. */
  static EventFilter none() {
    return new EventFilter(Map.of());
  }

  /** @throws InvalidArgumentException naming the filter that is not one of Docker's */
  static EventFilter of(List<io.shoal.api.v1.EventFilter> filters) {
    if (filters.size() > MAX_FILTERS) {
      throw new InvalidArgumentException("filters", filters.size() + " filters; at most " + MAX_FILTERS);
    }
    Map<String, Set<String>> values = new HashMap<>();
    for (io.shoal.api.v1.EventFilter f : filters) {
      String key = f.getKey();
      String value = f.getValue();
      if (!KEYS.contains(key)) {
        throw new InvalidArgumentException("filters", "unknown filter key \"" + key + "\" (type, name, id, event)");
      }
      if (value.isEmpty() || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
        throw new InvalidArgumentException("filters", key + ": a value of 1 to " + MAX_VALUE_BYTES + " bytes, got "
            + (value.isEmpty() ? "none" : value.length() + " characters"));
      }
      if (key.equals("type") && !TYPES.contains(value)) {
        throw new InvalidArgumentException("filters", "unknown event type \"" + value
            + "\" (service, task, node, network, secret, config)");
      }
      if (key.equals("event") && !ACTIONS.contains(value)) {
        throw new InvalidArgumentException("filters", "unknown event \"" + value + "\" (create, update, remove)");
      }
      values.computeIfAbsent(key, k -> new HashSet<>()).add(value);
    }
    return new EventFilter(values);
  }

  boolean matches(Event e) {
    return allows("type", e.getType()) && allows("id", e.getId()) && allows("event", e.getAction())
        && (allows("name", e.getName()) || e.getType().equals("task") && allows("name", e.getAttributesOrDefault("service", "")));
  }

  private boolean allows(String key, String value) {
    Set<String> wanted = values.get(key);
    return wanted == null || wanted.contains(value);
  }
}
