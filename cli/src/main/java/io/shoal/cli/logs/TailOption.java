package io.shoal.cli.logs;

import io.shoal.cli.CliException;

/** Docker's {@code --tail}: "all" (-1 on the wire) or a number of lines. */
final class TailOption {
  private TailOption() {}

  static long parse(String value) {
    String v = value.strip();
    if (v.equalsIgnoreCase("all")) {
      return -1;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException notANumber) {
      // said below
    }
    throw new CliException("--tail: invalid value \"" + value + "\" (a number of lines, or \"all\")");
  }
}
