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
import io.shoal.fuzzing.FuzzInputs;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The CLI's parsers of user input, fuzzed (#16): a flag's value, an env file or a compose file
 * either parses or is refused with the parser's own exception and a message, which the CLI prints
 * as one line; never another exception, which would print a stack trace.
 */
class CliParsersFuzzTest {
  private static final Map<String, String> ENV = Map.of("IMAGE", "busybox", "FROM_CLIENT", "c");

  @Property(tries = 3000)
  void aPortSpecParsesOrIsRefused(@ForAll("portSpecs") String input) {
    refusedWithAMessage(() -> PortSpec.parse(input), IllegalArgumentException.class);
  }

  @Property(tries = 2000)
  void aMountParsesOrIsRefused(@ForAll("mounts") String input) {
    refusedWithAMessage(() -> MountSpec.parse(input), IllegalArgumentException.class);
  }

  @Property(tries = 2000)
  void aByteSizeParsesToNoNegativeOrIsRefused(@ForAll("byteSizes") String input) {
    long[] parsed = {0};
    refusedWithAMessage(() -> parsed[0] = ByteSize.parse(input), IllegalArgumentException.class);
    assertThat(parsed[0]).isNotNegative();
  }

  @Property(tries = 2000)
  void aNetworkAttachmentParsesOrIsRefused(@ForAll("networkAttachments") String input) {
    refusedWithAMessage(() -> NetworkAttachmentSpec.parse(input), IllegalArgumentException.class);
  }

  @Property(tries = 2000)
  void anEnvFileParsesOrIsRefusedNamingItsLine(@ForAll("envFiles") String input) {
    refusedWithAMessage(() -> EnvFile.parse("fuzz.env", input, ENV), IllegalArgumentException.class);
  }

  @Property(tries = 2000)
  void aComposeFileConvertsOrIsRefused(@ForAll("composeFiles") String input) {
    refusedWithAMessage(() -> {
      ComposeFile file = ComposeFile.parse("fuzz.yml", input, Path.of("/nonexistent-fuzz-dir"), ENV);
      for (String key : file.services().keySet()) {
        ServiceArgs.convert("fuzz", file, key);
      }
    }, CliException.class);
  }

  @Provide
  Arbitrary<String> portSpecs() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/port-specs.txt");
  }

  @Provide
  Arbitrary<String> mounts() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/mounts.txt");
  }

  @Provide
  Arbitrary<String> byteSizes() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/byte-sizes.txt");
  }

  @Provide
  Arbitrary<String> networkAttachments() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/network-attachments.txt");
  }

  @Provide
  Arbitrary<String> envFiles() {
    return FuzzInputs.aroundDocuments(getClass(), "fuzz/env-file.env");
  }

  @Provide
  Arbitrary<String> composeFiles() {
    return FuzzInputs.aroundDocuments(getClass(), "fuzz/compose/full.yml", "fuzz/compose/small.yml",
        "fuzz/compose/anchors.yml");
  }
}
