package io.shoal.cli.secret;

import io.shoal.cli.CliCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal secret|config rm NAME...}: deletes each and prints it as given; one that services
 * use is refused naming them. A failure for one does not stop the others, but exits 1.
 */
abstract class PayloadRmCommand extends CliCommand {
  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Name, id or id prefix")
  List<String> references = new ArrayList<>();

  abstract void delete(String reference);

  @Override
  public Integer call() {
    return removeEach(references, r -> delete(r));
  }
}
