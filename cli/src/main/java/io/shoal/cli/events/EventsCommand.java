package io.shoal.cli.events;

import io.shoal.api.v1.Event;
import io.shoal.api.v1.EventFilter;
import io.shoal.api.v1.WatchEventsRequest;
import io.shoal.api.v1.WatchEventsResponse;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.format.FormatOutput;
import io.shoal.common.time.Timestamps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal events}: what happens in the cluster, as it happens, like {@code docker events}:
 * {@code 2026-12-05T03:40:00.123456789Z service create ID (name=web)}, until Ctrl-C.
 */
@Command(
    name = "events",
    description = "Get real time events from the cluster",
    mixinStandardHelpOptions = true)
public final class EventsCommand extends CliCommand {
  @Option(names = "--since", paramLabel = "TIME",
      description = "Show the events control still keeps from this time on: RFC 3339 (2026-12-05T03:00:00Z),"
          + " Unix seconds, or a Go duration before now (10m)")
  String since;

  @Option(names = "--until", paramLabel = "TIME",
      description = "Stream events until this time (as --since); at once when it is not after now")
  String until;

  @Option(names = "--after-revision", paramLabel = "REVISION",
      description = "Resume after this event revision (the \"Revision\" of --format json); not in Docker")
  long afterRevision;

  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (type, name, id, event)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "TEMPLATE",
      description = "Format the output using the given Go template, or 'json'")
  String format;

  @Override
  public Integer call() {
    WatchEventsRequest.Builder request = WatchEventsRequest.newBuilder().setAfterRevision(afterRevision);
    if (since != null) {
      request.setSince(Timestamps.toTimestamp(EventTimes.parse("--since", since, context().clock().instant())));
    }
    if (until != null) {
      request.setUntil(Timestamps.toTimestamp(EventTimes.parse("--until", until, context().clock().instant())));
    }
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw new CliException("invalid filter '" + f + "': expected key=value (type, name, id, event)");
      }
      request.addFilters(EventFilter.newBuilder().setKey(f.substring(0, eq)).setValue(f.substring(eq + 1)));
    }
    Iterator<WatchEventsResponse> events = control().watchEvents(request.build());
    while (events.hasNext()) {
      Event e = events.next().getEvent();
      if (format == null || format.isBlank()) {
        out().println(EventLines.line(e));
        out().flush();
      } else {
        FormatOutput.objects(out(), format, List.of(EventLines.dockerShape(e)));
      }
    }
    return 0;
  }
}
