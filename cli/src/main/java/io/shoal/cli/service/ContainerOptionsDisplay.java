package io.shoal.cli.service;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.Mount;
import java.io.PrintWriter;
import java.util.Locale;

/** {@code service inspect --pretty}'s lines for the container options, Mounts as Docker prints them. */
final class ContainerOptionsDisplay {
  private ContainerOptionsDisplay() {}

  static void print(PrintWriter out, ContainerSpec c, int width) {
    if (c.getCommandCount() > 0) {
      field(out, "Entrypoint", String.join(" ", c.getCommandList()), width);
    }
    if (!c.getHostname().isEmpty()) {
      field(out, "Hostname", c.getHostname(), width);
    }
    if (c.getReadOnly()) {
      field(out, "ReadOnly", "true", width);
    }
    if (c.getTty()) {
      field(out, "TTY", "true", width);
    }
    if (!c.getStopSignal().isEmpty()) {
      field(out, "StopSignal", c.getStopSignal(), width);
    }
    if (c.getMountsCount() > 0) {
      out.println(" Mounts:");
      for (Mount m : c.getMountsList()) {
        out.println("  Target:\t" + m.getTarget());
        out.println("   Source:\t" + m.getSource());
        out.println("   ReadOnly:\t" + m.getReadOnly());
        out.println("   Type:\t" + m.getType().name().substring(5).toLowerCase(Locale.ROOT));
      }
    }
  }

  private static void field(PrintWriter out, String key, String value, int width) {
    String label = " " + key + ":";
    out.println(label + " ".repeat(Math.max(1, width - label.length())) + value);
  }
}
