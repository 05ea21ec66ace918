package io.shoal.agent.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts and unmounts tmpfs on the host with util-linux's {@code mount}/{@code umount} (the
 * agent runs as root), and tells whether a directory is a tmpfs mount point from
 * {@code /proc/self/mountinfo}.
 */
class HostMounts {
  private static final long TIMEOUT_SECONDS = 10;
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  /** A private tmpfs of at most {@code bytes} on {@code dir}: root only, no devices, setuid or exec. */
  void mountTmpfs(Path dir, long bytes) {
    run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700,nosuid,nodev,noexec", "tmpfs",
        dir.toString()));
  }

  void unmount(Path dir) {
    run(List.of("umount", dir.toString()));
  }

  /** Whether {@code dir} is the mount point of a tmpfs now. */
  boolean isTmpfs(Path dir) {
    try {
      for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
        if (mountsTmpfsAt(line, dir.toString())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new FilesException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether one line of mountinfo (proc(5): id parent major:minor root mount-point options
   * [optional fields] - fstype source super-options) mounts a tmpfs at {@code dir}.
   */
  static boolean mountsTmpfsAt(String line, String dir) {
    String[] fields = line.split(" ");
    if (fields.length < 7 || !unescape(fields[4]).equals(dir)) {
      return false;
    }
    for (int i = 6; i < fields.length - 1; i++) {
      if (fields[i].equals("-")) {
        return fields[i + 1].equals("tmpfs");
      }
    }
    return false;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes (\040). */
  static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new FilesException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new FilesException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new FilesException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FilesException("interrupted while running " + command.get(0), e);
    }
  }
}
