package io.shoal.cli.secret;

import com.google.protobuf.InvalidProtocolBufferException;
import io.shoal.api.v1.Secret;
import io.shoal.cli.CliCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal secret inspect SECRET...}: a JSON array of the secrets, or with {@code --pretty}
 * Docker's summary; metadata only, since control never answers a secret's data.
 */
@Command(
    name = "inspect",
    description = "Display detailed information on one or more secrets",
    customSynopsis = "shoal secret inspect [OPTIONS] SECRET [SECRET...]",
    mixinStandardHelpOptions = true)
public final class SecretInspectCommand extends CliCommand {
  @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'json', or a Go template ({{.Spec.Name}})")
  String format;

  @Option(names = "--pretty", description = "Print the information in a human friendly format")
  boolean pretty;

  @Parameters(arity = "1..*", paramLabel = "SECRET", description = "Secret name, id or id prefix")
  List<String> secrets = new ArrayList<>();

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    return inspect(secrets, control()::getSecret, pretty, format, secret -> printPretty(out(), secret));
  }

  static void printPretty(PrintWriter out, Secret secret) {
    StoredObject s = StoredObject.of(secret);
    out.println("ID:              " + s.id());
    out.println("Name:              " + s.name());
    s.printLabels(out);
    out.println("Driver:            ");
    out.println("Created at:        " + StoredObject.goTime(s.created()));
    out.println("Updated at:        " + StoredObject.goTime(s.updated()));
  }
}
