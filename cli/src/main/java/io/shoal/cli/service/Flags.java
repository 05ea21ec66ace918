package io.shoal.cli.service;

import io.shoal.cli.parse.EnvList;
import io.shoal.cli.parse.ShellWords;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Flag values that need more than a type converter (the client's environment, several flags at
 * once). Failures are {@link ParameterException}s, so they read like picocli's own: the flag, the
 * value, what is wrong, and exit code 2.
 */
public final class Flags {
  private Flags() {}

  static List<String> env(
      CommandLine cmd, String flag, List<String> values, Map<String, String> clientEnv) {
    return values.stream().map(v -> env(cmd, flag, v, clientEnv)).toList();
  }

  private static String env(
      CommandLine cmd, String flag, String value, Map<String, String> clientEnv) {
    try {
      return EnvList.resolve(value, clientEnv);
    } catch (IllegalArgumentException e) {
      throw invalid(cmd, flag, e.getMessage());
    }
  }

  /** {@code --args "sh -c 'echo hi'"} split into words. */
  static List<String> args(CommandLine cmd, String value) {
    try {
      return ShellWords.split(value);
    } catch (IllegalArgumentException e) {
      throw invalid(cmd, "--args", e.getMessage());
    }
  }

  /** {@code KEY=VALUE} labels; a bare {@code KEY} gets an empty value, as in Docker. */
  public static Map<String, String> labels(CommandLine cmd, String flag, List<String> values) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String key = eq < 0 ? v : v.substring(0, eq);
      if (key.isBlank()) {
        throw invalid(cmd, flag, "bad label \"" + v + "\": empty key");
      }
      labels.put(key, eq < 0 ? "" : v.substring(eq + 1));
    }
    return labels;
  }

  static Duration javaDuration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  static ParameterException invalid(CommandLine cmd, String flag, String why) {
    return new ParameterException(cmd, "Invalid value for option '" + flag + "': " + why);
  }

  /** Warnings from the response and the stored service, each once, on stderr as Docker does. */
  static void printWarnings(PrintWriter err, List<String> response, List<String> service) {
    Set<String> all = new LinkedHashSet<>(response);
    all.addAll(service);
    all.forEach(err::println);
    err.flush();
  }
}
