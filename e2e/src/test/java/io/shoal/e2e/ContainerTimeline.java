package io.shoal.e2e;

import io.shoal.testing.Lab.Host;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How many containers of a service ran at once over a past period, from every host engine's
 * {@code start} and {@code die} events: exact, where looking at the engines one after another
 * could miss a container starting on one host while another stopped on the next. The hosts
 * share this machine's clock, so their events merge into one timeline.
 */
final class ContainerTimeline {
  private record Event(long nanos, int change) {}

  private ContainerTimeline() {}

  /**
   * The fewest containers of {@code serviceId} running at any moment from {@code since} until
   * now, given {@code runningAtSince} then and {@code runningNow}. The events must lead from the
   * one to the other: an engine keeps only its last 256 events, and a timeline missing some
   * would say nothing.
   */
  static int fewestRunning(List<Host> hosts, String serviceId, Instant since, int runningAtSince,
      int runningNow) {
    String until = unix(Instant.now());
    List<Event> events = new ArrayList<>();
    for (Host host : hosts) {
      String out = host.engine().docker("events", "--since", unix(since), "--until", until,
          "--filter", "type=container", "--filter", "label=io.shoal.service.id=" + serviceId,
          "--filter", "event=start", "--filter", "event=die", "--format", "{{.TimeNano}} {{.Action}}");
      for (String line : out.lines().toList()) {
        String[] f = line.strip().split(" ");
        events.add(new Event(Long.parseLong(f[0]), f[1].equals("start") ? 1 : -1));
      }
    }
    // At one instant a die counts before a start: strict, a tie is a gap.
    events.sort(Comparator.comparingLong(Event::nanos).thenComparingInt(Event::change));
    int running = runningAtSince;
    int fewest = running;
    for (Event e : events) {
      running += e.change();
      fewest = Math.min(fewest, running);
    }
    if (running != runningNow) {
      throw new AssertionError("the engines' events lead from " + runningAtSince + " running "
          + "containers to " + running + ", not " + runningNow + ": some are missing");
    }
    return fewest;
  }

  /** {@code 1733300000.123456789}, as docker events' --since and --until take it. */
  private static String unix(Instant t) {
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
  }
}
