package io.shoal.cli.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Environment lists ({@code KEY=VALUE} entries): validation for {@code -e/--env} and the {@code
 * --env-rm} / {@code --env-add} edit of {@code service update}.
 *
 * <p>Docker's semantics, except that order is kept: removals run first; an added entry replaces
 * every entry with the same key at the position of the first one, or is appended.
 */
public final class EnvList {
  private EnvList() {}

  /** The key of an entry: everything before the first {@code =} (the whole entry if none). */
  public static String key(String entry) {
    int eq = entry.indexOf('=');
    return eq < 0 ? entry : entry.substring(0, eq);
  }

  /**
   * Checks one {@code -e} value. {@code KEY=VALUE} is returned as is; a bare {@code KEY} takes its
   * value from the client's environment, as {@code docker service create -e KEY} does.
   *
   * @throws IllegalArgumentException when the key is empty or holds whitespace, or a bare key is
   *     not set in {@code clientEnv}
   */
  public static String resolve(String entry, Map<String, String> clientEnv) {
    String key = key(entry);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("bad env \"" + entry + "\": empty variable name");
    }
    if (key.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "bad env \"" + entry + "\": variable name contains whitespace");
    }
    if (entry.indexOf('=') >= 0) {
      return entry;
    }
    String value = clientEnv.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "bad env \"" + entry + "\": " + key + " is not set here; use " + key + "=VALUE");
    }
    return key + "=" + value;
  }

  /** Applies {@code --env-rm} (keys; {@code KEY=...} counts as its key) then {@code --env-add}. */
  public static List<String> edit(List<String> current, List<String> add, List<String> remove) {
    List<String> env = new ArrayList<>(current);
    for (String rm : remove) {
      String k = key(rm);
      env.removeIf(e -> key(e).equals(k));
    }
    for (String a : add) {
      String k = key(a);
      int first = -1;
      for (int i = 0; i < env.size(); i++) {
        if (key(env.get(i)).equals(k)) {
          first = i;
          break;
        }
      }
      if (first < 0) {
        env.add(a);
      } else {
        env.set(first, a);
        for (int i = env.size() - 1; i > first; i--) {
          if (key(env.get(i)).equals(k)) {
            env.remove(i);
          }
        }
      }
    }
    return List.copyOf(env);
  }
}
