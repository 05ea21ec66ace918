package io.shoal.cli.parse;

import io.shoal.api.v1.Ulimit;
import java.util.Locale;

/**
 * Docker's syntax for the smaller container flags: {@code --host HOST:IP}, {@code --cap-add
 * net_admin}, {@code --ulimit nofile=1024:2048}, {@code --sysctl K=V}.
 */
public final class ContainerFlagSyntax {
  private ContainerFlagSyntax() {}

  /**
   * {@code HOST:IP} (split at the first colon, so an IPv6 address keeps its own) to the spec's
   * hosts(5) form {@code IP HOST}.
   */
  public static String hostLine(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("bad format for add-host: \"" + value + "\" (HOST:IP)");
    }
    return value.substring(colon + 1).strip() + " " + value.substring(0, colon).strip();
  }

  /** The hostname of a hosts line {@code IP HOST} (its second word). */
  public static String hostOfLine(String line) {
    String[] words = line.strip().split("\\s+");
    return words.length > 1 ? words[1] : "";
  }

  /** A capability as Docker normalizes it: upper case with the CAP_ prefix, or ALL. */
  public static String capability(String value) {
    String cap = value.strip().toUpperCase(Locale.ROOT);
    if (cap.isEmpty()) {
      throw new IllegalArgumentException("empty capability");
    }
    return cap.equals("ALL") || cap.startsWith("CAP_") ? cap : "CAP_" + cap;
  }

  /** {@code NAME=SOFT[:HARD]}; the hard limit defaults to the soft one, as in Docker. */
  public static Ulimit ulimit(String value) {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("invalid ulimit argument: " + value + " (NAME=SOFT[:HARD])");
    }
    String[] limits = value.substring(eq + 1).split(":", -1);
    if (limits.length > 2) {
      throw new IllegalArgumentException("too many limit value arguments - " + value + ", can only have up to two, `soft[:hard]`");
    }
    try {
      long soft = Long.parseLong(limits[0]);
      long hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
      return Ulimit.newBuilder().setName(value.substring(0, eq)).setSoft(soft).setHard(hard).build();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid ulimit argument: " + value + " (limits are numbers)");
    }
  }
}
