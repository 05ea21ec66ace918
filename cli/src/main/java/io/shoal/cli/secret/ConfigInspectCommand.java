package io.shoal.cli.secret;

import com.google.protobuf.InvalidProtocolBufferException;
import io.shoal.api.v1.Config;
import io.shoal.cli.CliCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal config inspect CONFIG...}: a JSON array of the configs (data in base64, as
 * Docker's), or with {@code --pretty} Docker's summary with the data as text.
 */
@Command(
    name = "inspect",
    description = "Display detailed information on one or more configs",
    customSynopsis = "shoal config inspect [OPTIONS] CONFIG [CONFIG...]",
    mixinStandardHelpOptions = true)
public final class ConfigInspectCommand extends CliCommand {
  @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'json', or a Go template ({{.Spec.Name}})")
  String format;

  @Option(names = "--pretty", description = "Print the information in a human friendly format")
  boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "CONFIG", description = "Config name, id or id prefix")
  List<String> configs = new ArrayList<>();

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    return inspect(configs, control()::getConfig, pretty, format, config -> printPretty(out(), config));
  }

  static void printPretty(PrintWriter out, Config config) {
    StoredObject c = StoredObject.of(config);
    out.println("ID:\t\t\t" + c.id());
    out.println("Name:\t\t\t" + c.name());
    c.printLabels(out);
    out.println("Created at:            \t" + StoredObject.goTime(c.created()));
    out.println("Updated at:            \t" + StoredObject.goTime(c.updated()));
    out.println("Data:");
    out.println(config.getSpec().getData().toStringUtf8());
  }
}
