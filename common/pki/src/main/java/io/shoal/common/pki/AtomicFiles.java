package io.shoal.common.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/** Whole-file reads and atomic writes of the PEM files this module keeps. */
final class AtomicFiles {
  private AtomicFiles() {}

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Writes {@code text} to a temporary file beside {@code file} and moves it into place, so a
   * reader sees the old or the new content, never half. On a POSIX file system a {@code secret}
   * file is 0600 before any byte is written, another 0644.
   */
  static void writeAtomically(Path file, String text, boolean secret) {
    Path directory = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
      try {
        if (Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null) {
          Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
        }
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
