package io.shoal.cli.service;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.Task;
import io.shoal.cli.format.Filters;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options Docker's task lists share ({@code service ps}, {@code node ps}, {@code stack ps}). */
public final class TaskListOptions {
  @Option(names = "--no-trunc", description = "Do not truncate output")
  boolean noTrunc;

  @Option(names = {"-q", "--quiet"}, description = "Only display task IDs")
  boolean quiet;

  @Option(names = {"-f", "--filter"}, paramLabel = "FILTER",
      description = "Filter output based on conditions provided (id, name, node, desired-state)")
  List<String> filters = new ArrayList<>();

  @Option(names = "--format", paramLabel = "TEMPLATE",
      description = "Pretty-print tasks using a Go template ('table TEMPLATE', 'json')")
  String format;

  /** The filters, checked before any call: an unknown key fails at once. */
  public Filters filter() {
    return Filters.parse(filters, TaskListing.FILTERS);
  }

  public boolean quiet() {
    return quiet;
  }

  /** {@code tasks} that pass {@code filter}, as the list (or only ids) on {@code out}. */
  public void print(PrintWriter out, List<Task> tasks, Filters filter, List<Node> nodes, Instant now) {
    TaskListing listing = new TaskListing(nodes, noTrunc);
    List<Task> shown = listing.select(tasks, filter);
    if (quiet) {
      shown.forEach(t -> out.println(listing.id(t.getId())));
    } else {
      listing.print(out, shown, now, format);
    }
    out.flush();
  }
}
