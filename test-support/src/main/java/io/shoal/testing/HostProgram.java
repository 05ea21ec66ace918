package io.shoal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a dynamically linked program of this machine into an image's rootfs with what it needs
 * to run there: the shared libraries {@code ldd} lists and the dynamic loader, each at the path
 * {@code ldd} shows (the loader looks in its built-in directories; a rootfs has no ld.so.cache).
 * For tools busybox lacks, such as a UDP server ({@code socat}).
 */
final class HostProgram {
  /** The absolute path in an {@code ldd} line: {@code libc.so.6 => /lib/…/libc.so.6 (0x…)}. */
  private static final Pattern PATH = Pattern.compile("(?:^|\\s)(/\\S+)");

  private HostProgram() {}

  /** Copies {@code program}, its libraries and the loader under {@code root}. */
  static void copyInto(Path program, Path root) {
    if (!Files.isExecutable(program)) {
      throw new IllegalStateException(program + " is missing: install its Debian package "
          + "(deploy/dev.sh installs what the tests need)");
    }
    List<Path> files = new ArrayList<>(List.of(program));
    files.addAll(libraries(Commands.run(List.of("ldd", program.toString()))));
    try {
      for (Path file : files) {
        Path target = root.resolve(file.toString().substring(1));
        Files.createDirectories(target.getParent());
        // Following links: the rootfs gets the library itself under the name the loader asks for.
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + program + " into " + root, e);
    }
  }

  /**
   * The files {@code ldd} says a program loads (libraries and loader; not the kernel's vDSO);
   * none for a static program. Fails when a library is not found.
   */
  static List<Path> libraries(Commands.Result ldd) {
    if (!ldd.ok()) {
      if (ldd.stdout().contains("not a dynamic executable")
          || ldd.stderr().contains("not a dynamic executable")) {
        return List.of();
      }
      ldd.orThrow();
    }
    List<Path> libraries = new ArrayList<>();
    for (String line : ldd.stdout().split("\n")) {
      if (line.contains("not found")) {
        throw new IllegalStateException("a library is missing: " + line.strip());
      }
      Matcher path = PATH.matcher(line);
      if (path.find()) {
        libraries.add(Path.of(path.group(1)));
      }
    }
    return libraries;
  }
}
