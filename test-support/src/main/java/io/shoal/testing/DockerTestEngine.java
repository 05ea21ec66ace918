package io.shoal.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real Docker engine for tests, given by {@link DockerExtension}.
 *
 * @param host the engine's address for clients, e.g. {@code unix:///tmp/shoal-dockerd123/docker.sock}
 */
public record DockerTestEngine(String host) {
  /** Debian's client matches Debian's dockerd (20.10); any {@code docker} on the PATH otherwise. */
  static final String CLI = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";

  /** Runs {@code docker -H HOST ARGS…}; returns its trimmed output or fails with its errors. */
  public String docker(String... args) {
    return tryDocker(args).orThrow();
  }

  /** Runs {@code docker -H HOST ARGS…} and returns the result, whatever the exit code. */
  public Commands.Result tryDocker(String... args) {
    return Commands.run(command(args));
  }

  /** The full command line for {@code docker -H HOST ARGS…}. */
  public List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(CLI, "-H", host));
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** Ids of all containers (running or not) carrying {@code label} ({@code key} or {@code key=value}). */
  public List<String> containerIds(String label) {
    String ids = docker("ps", "-aq", "--no-trunc", "--filter", "label=" + label);
    return ids.isEmpty() ? List.of() : List.of(ids.split("\\s+"));
  }

  /** Force-removes every container carrying {@code label}; for test clean-up. */
  public void removeContainers(String label) {
    List<String> ids = containerIds(label);
    if (!ids.isEmpty()) {
      List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
      args.addAll(ids);
      docker(args.toArray(String[]::new));
    }
  }

  /** {@code docker inspect --format FORMAT TARGET}, trimmed. */
  public String inspect(String format, String target) {
    return docker("inspect", "--format", format, target);
  }
}
