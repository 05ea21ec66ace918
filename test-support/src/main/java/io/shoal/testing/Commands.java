package io.shoal.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs short command-line tools for tests ({@code docker}, {@code tar}, {@code htpasswd}) and
 * captures their output. Long-running servers use {@link ExternalProcess} instead.
 */
public final class Commands {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private Commands() {}

  /** What a finished command printed and returned. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** Its trimmed standard output; fails with both outputs when the command did not exit 0. */
    public String orThrow() {
      if (!ok()) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode
            + "\nstdout: " + stdout.strip() + "\nstderr: " + stderr.strip());
      }
      return stdout.strip();
    }
  }

  /** Runs {@code command} with nothing on its standard input. */
  public static Result run(List<String> command) {
    return run(command, null);
  }

  /** Runs {@code command}, writing {@code stdin} (may be null) to its standard input. */
  public static Result run(List<String> command, String stdin) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    return collect(command, process, stdin);
  }

  /**
   * Runs {@code first | second} (e.g. {@code tar -c . | docker import -}) and returns the result
   * of {@code second}; a failure of {@code first} fails the whole pipeline.
   */
  public static Result pipe(List<String> first, List<String> second) {
    List<Process> processes;
    try {
      processes = ProcessBuilder.startPipeline(List.of(
          new ProcessBuilder(first).redirectError(ProcessBuilder.Redirect.DISCARD),
          new ProcessBuilder(second)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + first.get(0) + " | " + second.get(0), e);
    }
    Result result = collect(second, processes.get(1), null);
    try {
      int firstExit = processes.get(0).waitFor();
      if (firstExit != 0) {
        return new Result(first, firstExit, "", "first command of the pipeline failed; then: "
            + result.stderr());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + first, e);
    }
    return result;
  }

  /** Whether {@code program} can be found on the PATH (or is an existing absolute path). */
  public static boolean onPath(String program) {
    if (program.startsWith("/")) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static Result collect(List<String> command, Process process, String stdin) {
    // Both pipes are drained at once so a chatty command cannot block on a full pipe.
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + command.get(0), e);
    }
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT);
      }
      return new Result(command, process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static String drain(InputStream stream) {
    try (stream) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      stream.transferTo(bytes);
      return bytes.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
