package io.shoal.cli.service;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.HealthConfig;
import io.shoal.api.v1.Mount;
import io.shoal.common.time.GoDuration;
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
    if (c.hasHealthcheck()) {
      healthcheck(out, c.getHealthcheck());
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

  /** Docker's Healthcheck block; durations in Go's notation, unset ones left out. */
  private static void healthcheck(PrintWriter out, HealthConfig h) {
    out.println(" Healthcheck:");
    if (h.hasInterval()) {
      out.println("  Interval = " + GoDuration.format(Flags.javaDuration(h.getInterval())));
    }
    if (h.getRetries() > 0) {
      out.println("  Retries = " + h.getRetries());
    }
    if (h.hasStartPeriod()) {
      out.println("  StartPeriod = " + GoDuration.format(Flags.javaDuration(h.getStartPeriod())));
    }
    if (h.hasTimeout()) {
      out.println("  Timeout = " + GoDuration.format(Flags.javaDuration(h.getTimeout())));
    }
    if (h.getTestCount() > 0) {
      out.println("  Tests:");
      h.getTestList().forEach(t -> out.println("\t Test = " + t));
    }
  }

  private static void field(PrintWriter out, String key, String value, int width) {
    String label = " " + key + ":";
    out.println(label + " ".repeat(Math.max(1, width - label.length())) + value);
  }
}
