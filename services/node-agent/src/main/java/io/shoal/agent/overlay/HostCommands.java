package io.shoal.agent.overlay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs iproute2 and iptables on the host. Java has no well-kept netlink library; these tools are
 * what Docker's own scripts and every distribution have, and their batch modes ({@code ip -batch},
 * {@code iptables-restore}) keep a change of many entries to one process.
 */
class HostCommands {
  /** A command that has not finished by then is killed: the host's tools answer in milliseconds. */
  static final long TIMEOUT_SECONDS = 10;

  /** Runs {@code command}; returns its standard output; throws with its error output when it fails. */
  String run(List<String> command) {
    return run(command, null);
  }

  /** As {@link #run(List)}, writing {@code stdin} to the command first. */
  String run(List<String> command, String stdin) {
    Result result = attempt(command, stdin);
    if (result.exitCode() != 0) {
      throw new OverlayException(String.join(" ", command.subList(0, Math.min(3, command.size())))
          + " failed (exit " + result.exitCode() + "): " + result.stderr().strip());
    }
    return result.stdout();
  }

  /** Runs {@code command} and reports how it ended, failing only when it cannot be run at all. */
  Result attempt(List<String> command, String stdin) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new OverlayException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String writeError = "";
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The command exited before reading all of it; said with its own error output below.
      writeError = " (its input was cut: " + e.getMessage() + ")";
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new OverlayException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
          err.get(TIMEOUT_SECONDS, TimeUnit.SECONDS) + writeError);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new OverlayException("interrupted while running " + command.get(0), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OverlayException("cannot read the output of " + command.get(0) + ": " + e, e);
    }
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  record Result(int exitCode, String stdout, String stderr) {}
}
