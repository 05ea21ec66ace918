package io.shoal.cli.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code --env-file}: one {@code KEY=VALUE} per line; blank lines and lines starting
 * with {@code #} are skipped; leading whitespace is dropped; a bare {@code KEY} takes its value
 * from the client's environment and is left out when unset there, as Docker does.
 */
public final class EnvFile {
  private EnvFile() {}

  /**
   * The entries of a file's text.
   *
   * @param name the file's name, for messages
   * @throws IllegalArgumentException naming the line whose variable name is empty or holds whitespace
   */
  public static List<String> parse(String name, String text, Map<String, String> clientEnv) {
    List<String> env = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripLeading();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String key = EnvList.key(line);
      if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(name + " line " + (i + 1) + ": variable '" + key
            + "' contains whitespaces or is empty");
      }
      if (line.indexOf('=') >= 0) {
        env.add(line);
      } else if (clientEnv.containsKey(key)) {
        env.add(key + "=" + clientEnv.get(key));
      }
    }
    return env;
  }
}
