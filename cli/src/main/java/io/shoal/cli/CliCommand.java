package io.shoal.cli;

import io.shoal.cli.client.ControlClient;
import io.shoal.cli.progress.ConvergenceWaiter;
import io.shoal.cli.progress.ProgressRenderer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every leaf command: reaches the root {@link ShoalCli} for the control client and the
 * {@link CliContext}, and writes to picocli's out/err so tests can capture them.
 */
public abstract class CliCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  protected ShoalCli cli() {
    return (ShoalCli) spec.root().userObject();
  }

  protected ControlClient control() {
    return cli().control();
  }

  protected CliContext context() {
    return cli().context();
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** An error about one item of several (e.g. one service of `rm a b`): reported, not fatal. */
  protected void reportError(Exception e) {
    err().println("shoal: " + ErrorMessages.describe(e, cli().target()));
    err().flush();
  }

  /**
   * Docker's rm: deletes each reference and prints it as given; a failure for one is reported
   * and the others go on. Returns the exit code: 1 when any failed.
   */
  protected int removeEach(java.util.List<String> references, java.util.function.Consumer<String> delete) {
    boolean failed = false;
    for (String reference : references) {
      try {
        delete.accept(reference);
        out().println(reference);
        out().flush();
      } catch (io.grpc.StatusRuntimeException e) {
        reportError(e);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  }

  /**
   * Docker's inspect: looks up each reference (a failure is reported and the others go on), then
   * prints a JSON array of what was found, or each one {@code pretty}, a blank line apart.
   * Returns the exit code: 1 when any reference failed.
   */
  protected <T extends com.google.protobuf.MessageOrBuilder> int inspect(
      java.util.List<String> references, java.util.function.Function<String, T> lookUp,
      boolean pretty, java.util.function.Consumer<T> printPretty)
      throws com.google.protobuf.InvalidProtocolBufferException {
    return inspect(references, lookUp, pretty, null, printPretty);
  }

  /** As above; with a {@code --format} template, each object's text through it instead. */
  protected <T extends com.google.protobuf.MessageOrBuilder> int inspect(
      java.util.List<String> references, java.util.function.Function<String, T> lookUp,
      boolean pretty, String format, java.util.function.Consumer<T> printPretty)
      throws com.google.protobuf.InvalidProtocolBufferException {
    if (pretty && format != null) {
      throw new CliException("--format is incompatible with human friendly format (--pretty)");
    }
    boolean failed = false;
    java.util.List<T> found = new java.util.ArrayList<>();
    for (String reference : references) {
      try {
        found.add(lookUp.apply(reference));
      } catch (io.grpc.StatusRuntimeException e) {
        reportError(e);
        failed = true;
      }
    }
    if (format != null) {
      io.shoal.cli.format.FormatOutput.objects(out(), format,
          found.stream().<Object>map(io.shoal.cli.format.TemplateData::of).toList());
    } else if (pretty) {
      for (int i = 0; i < found.size(); i++) {
        if (i > 0) {
          out().println();
        }
        printPretty.accept(found.get(i));
      }
    } else {
      out().println(io.shoal.cli.format.Json.array(found));
    }
    out().flush();
    return failed ? 1 : 0;
  }

  /**
   * How long a converged service that sets no --update-monitor is watched for failing tasks:
   * Swarm's 5 s, or {@code SHOAL_VERIFY_PERIOD} (a Go duration; the tests shorten it).
   */
  private static Duration verifyPeriod(CliContext ctx) {
    String set = ctx.env().get("SHOAL_VERIFY_PERIOD");
    if (set == null || set.isBlank()) {
      return ConvergenceWaiter.DEFAULT_MONITOR;
    }
    try {
      return io.shoal.common.time.GoDuration.parse(set.strip());
    } catch (IllegalArgumentException e) {
      throw new CliException("SHOAL_VERIFY_PERIOD: " + e.getMessage());
    }
  }

  /** Waits for convergence, then for the monitor period, drawing progress unless {@code quiet}. */
  protected void awaitConvergence(String serviceId, String name, Duration timeout, boolean quiet)
      throws InterruptedException {
    awaitConvergence(serviceId, name, timeout, quiet, false);
  }

  /** As above; {@code update}: an automatic rollback of the update fails the wait (Docker's exit 1). */
  protected void awaitConvergence(String serviceId, String name, Duration timeout, boolean quiet, boolean update)
      throws InterruptedException {
    CliContext ctx = context();
    ConvergenceWaiter waiter =
        new ConvergenceWaiter(
            control(), ctx.clock(), ctx.pause(), ctx.pollInterval(), cli().target(), verifyPeriod(ctx));
    waiter.await(serviceId, name, timeout, quiet ? null : new ProgressRenderer(out(), ctx.tty()), update);
  }
}
