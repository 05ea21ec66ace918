package io.shoal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A call served by the CLI daemon runs in a process whose working directory is not the caller's:
 * a file the user names must be read through {@link CliContext#path}, never {@code Path.of}
 * (which would read it against the daemon's directory).
 */
class CliPathsTest {
  private static final Pattern PROCESS_RELATIVE = Pattern.compile("Path\\.of\\(|Paths\\.get\\(|new File\\(|new FileInputStream\\(");
  /** Paths from the environment, made absolute by the daemon (DaemonCall), or the daemon's own. */
  private static final Set<String> ALLOWED = Set.of("CliContext.java", "ControlChannels.java", "DockerConfig.java",
      "CliLauncher.java", "CliDaemon.java", "DaemonCall.java", "ChannelCache.java");

  @Test
  void everyFileAUserNamesIsReadAgainstTheCallersDirectory() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      offending = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !ALLOWED.contains(f.getFileName().toString()))
          .flatMap(CliPathsTest::lines)
          .filter(l -> PROCESS_RELATIVE.matcher(l).find())
          .toList();
    }
    assertThat(offending).as("use context().path(...) for a file the user names").isEmpty();
  }

  private static Stream<String> lines(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return java.util.stream.IntStream.range(0, lines.size())
          .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
