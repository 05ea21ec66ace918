package io.shoal.cli.logs;

import io.shoal.api.v1.LogLine;
import io.shoal.api.v1.LogStream;
import io.shoal.api.v1.ServiceLogsRequest;
import io.shoal.api.v1.ServiceLogsResponse;
import io.shoal.cli.CliCommand;
import io.shoal.cli.events.EventTimes;
import io.shoal.common.time.Timestamps;
import java.io.PrintWriter;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service logs}: the logs of a service's tasks or of one task, from the nodes that
 * run them through control, like {@code docker service logs}; a task's standard error goes to
 * standard error.
 */
@Command(
    name = "logs",
    description = "Fetch the logs of a service or task",
    mixinStandardHelpOptions = true)
public final class ServiceLogsCommand extends CliCommand {
  @Parameters(index = "0", paramLabel = "SERVICE|TASK", description = "Service (id, name or prefix) or task (id or prefix)")
  String target;

  @Option(names = {"-f", "--follow"}, description = "Follow log output (tasks that start later join)")
  boolean follow;

  @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "all",
      description = "Number of lines to show from the end of each task's log (default: all)")
  String tail;

  @Option(names = "--since", paramLabel = "TIME",
      description = "Show logs since a time: RFC 3339 (2026-12-05T03:00:00Z), Unix seconds, or a Go duration before now (10m)")
  String since;

  @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
  boolean timestamps;

  @Option(names = "--no-task-ids", description = "Do not include task IDs in output")
  boolean noTaskIds;

  @Option(names = "--no-trunc", description = "Do not truncate output")
  boolean noTrunc;

  @Option(names = "--raw", description = "Do not neatly format logs (no prefix)")
  boolean raw;

  @Override
  public Integer call() {
    ServiceLogsRequest.Builder request = ServiceLogsRequest.newBuilder()
        .setTarget(target).setFollow(follow).setTail(TailOption.parse(tail));
    if (since != null) {
      request.setSince(Timestamps.toTimestamp(EventTimes.parse("--since", since, context().clock().instant())));
    }
    LogPrefix prefix = new LogPrefix(new LogPrefix.Options(timestamps, !noTaskIds, !noTrunc, raw));
    Iterator<ServiceLogsResponse> responses = control().serviceLogs(request.build());
    while (responses.hasNext()) {
      ServiceLogsResponse r = responses.next();
      boolean wroteErr = false;
      for (LogLine line : r.getLinesList()) {
        boolean stderr = line.getStream() == LogStream.LOG_STREAM_STDERR;
        PrintWriter to = stderr ? err() : out();
        to.println(prefix.line(r, line));
        wroteErr |= stderr;
      }
      out().flush();
      if (wroteErr) {
        err().flush();
      }
    }
    return 0;
  }
}
