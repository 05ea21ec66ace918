package io.shoal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostProgramTest {
  private static Commands.Result ldd(int exit, String stdout, String stderr) {
    return new Commands.Result(List.of("ldd", "/usr/bin/socat"), exit, stdout, stderr);
  }

  @Test
  void librariesAndTheLoaderAreListedButNotTheVdso() {
    String socat = """
        \tlinux-vdso.so.1 (0x00007ffd6b9f2000)
        \tlibwrap.so.0 => /lib/x86_64-linux-gnu/libwrap.so.0 (0x00007f2b1c0a1000)
        \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2b1bec0000)
        \t/lib64/ld-linux-x86-64.so.2 (0x00007f2b1c1b8000)
        """;

    assertThat(HostProgram.libraries(ldd(0, socat, ""))).containsExactly(
        Path.of("/lib/x86_64-linux-gnu/libwrap.so.0"), Path.of("/lib/x86_64-linux-gnu/libc.so.6"),
        Path.of("/lib64/ld-linux-x86-64.so.2"));
  }

  @Test
  void aStaticProgramNeedsNothing() {
    assertThat(HostProgram.libraries(ldd(1, "", "\tnot a dynamic executable\n"))).isEmpty();
  }

  @Test
  void aMissingLibraryFailsWithItsName() {
    assertThatThrownBy(() -> HostProgram.libraries(
        ldd(0, "\tlibwrap.so.0 => not found\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n", "")))
        .hasMessageContaining("libwrap.so.0");
  }

  @Test
  void aRealProgramIsCopiedWithItsLibrariesAtTheirOwnPaths() throws Exception {
    Path program = Path.of("/usr/bin/env");
    Path root = Files.createTempDirectory("shoal-host-program");
    try {
      HostProgram.copyInto(program, root);

      assertThat(root.resolve("usr/bin/env")).isExecutable();
      List<Path> libraries = HostProgram.libraries(Commands.run(List.of("ldd", program.toString())));
      assertThat(libraries).isNotEmpty();
      for (Path library : libraries) {
        assertThat(root.resolve(library.toString().substring(1))).isRegularFile();
      }
    } finally {
      ExternalProcess.deleteTree(root);
    }
  }
}
