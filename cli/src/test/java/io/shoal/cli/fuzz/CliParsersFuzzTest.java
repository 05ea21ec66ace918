package io.shoal.cli.fuzz;

import static io.shoal.cli.fuzz.CliParsersFuzzTestSupport.refusedWithAMessage;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.cli.CliException;
import io.shoal.cli.compose.ComposeFile;
import io.shoal.cli.compose.ServiceArgs;
import io.shoal.cli.parse.ByteSize;
import io.shoal.cli.parse.EnvFile;
import io.shoal.cli.parse.MountSpec;
import io.shoal.cli.parse.NetworkAttachmentSpec;
import io.shoal.cli.parse.PortSpec;
import io.shoal.fuzzing.Fuzz;
import io.shoal.fuzzing.FuzzInputs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI's parsers of user input, fuzzed (#16): a flag's value, an env file or a compose file
 * either parses or is refused with the parser's own exception and a message, which the CLI prints
 * as one line; never another exception, which would print a stack trace.
 */
class CliParsersFuzzTest {
  private static final Map<String, String> ENV = Map.of("IMAGE", "busybox", "FROM_CLIENT", "c");

  @Test
  void aPortSpecParsesOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundLines(CliParsersFuzzTest.class, "fuzz/port-specs.txt"), Fuzz.DEFAULT_TRIES, input -> {
      refusedWithAMessage(() -> PortSpec.parse(input), IllegalArgumentException.class);
    });
  }

  @Test
  void aMountParsesOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundLines(CliParsersFuzzTest.class, "fuzz/mounts.txt"), 2000, input -> {
      refusedWithAMessage(() -> MountSpec.parse(input), IllegalArgumentException.class);
    });
  }

  @Test
  void aByteSizeParsesToNoNegativeOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundLines(CliParsersFuzzTest.class, "fuzz/byte-sizes.txt"), 2000, input -> {
      long[] parsed = {0};
      refusedWithAMessage(() -> parsed[0] = ByteSize.parse(input), IllegalArgumentException.class);
      assertThat(parsed[0]).isNotNegative();
    });
  }

  @Test
  void aNetworkAttachmentParsesOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundLines(CliParsersFuzzTest.class, "fuzz/network-attachments.txt"), 2000, input -> {
      refusedWithAMessage(() -> NetworkAttachmentSpec.parse(input), IllegalArgumentException.class);
    });
  }

  @Test
  void anEnvFileParsesOrIsRefusedNamingItsLine() {
    Fuzz.check(FuzzInputs.aroundDocuments(CliParsersFuzzTest.class, "fuzz/env-file.env"), 2000, input -> {
      refusedWithAMessage(() -> EnvFile.parse("fuzz.env", input, ENV), IllegalArgumentException.class);
    });
  }

  @Test
  void aComposeFileConvertsOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundDocuments(CliParsersFuzzTest.class, "fuzz/compose/full.yml", "fuzz/compose/small.yml",
        "fuzz/compose/anchors.yml", "fuzz/compose/recursive.yml"), 2000, input -> {
      refusedWithAMessage(() -> {
        ComposeFile file = ComposeFile.parse("fuzz.yml", input, Path.of("/nonexistent-fuzz-dir"), ENV);
        for (String key : file.services().keySet()) {
          ServiceArgs.convert("fuzz", file, key);
        }
      }, CliException.class);
    });
  }
}
