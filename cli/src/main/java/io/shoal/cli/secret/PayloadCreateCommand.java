package io.shoal.cli.secret;

import com.google.protobuf.ByteString;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.service.Flags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal secret|config create [--label K=V] NAME FILE|-}: reads the data from the file, or
 * stdin for "-", stores it and prints the new id, as Docker does.
 */
abstract class PayloadCreateCommand extends CliCommand {
  /**
   * Control's bound on the data (500 KiB, Swarm's); the CLI stops reading past it instead of
   * holding a file of any size, and control gives the authoritative refusal.
   */
  static final int MAX_DATA = 500 * 1024;

  @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Labels")
  List<String> labels = new ArrayList<>();

  @Parameters(index = "0", paramLabel = "NAME", description = "Name, unique among them")
  String name;

  @Parameters(index = "1", paramLabel = "FILE", description = "File holding the data, or - for stdin")
  String file;

  /** Stores it and returns its id. */
  abstract String create(String name, Map<String, String> labels, ByteString data);

  @Override
  public Integer call() {
    Map<String, String> parsed = Flags.labels(spec.commandLine(), "--label", labels);
    out().println(create(name, parsed, read()));
    out().flush();
    return 0;
  }

  private ByteString read() {
    try (InputStream in = file.equals("-") ? context().stdin() : Files.newInputStream(context().path(file))) {
      byte[] data = in.readNBytes(MAX_DATA + 1);
      if (data.length > MAX_DATA) {
        throw new CliException((file.equals("-") ? "stdin" : file) + " holds more than " + MAX_DATA
            + " bytes (500 KiB), the most control keeps");
      }
      return ByteString.copyFrom(data);
    } catch (NoSuchFileException e) {
      throw new CliException("open " + file + ": no such file or directory");
    } catch (IOException e) {
      throw new CliException("read " + file + ": " + e.getMessage());
    }
  }
}
