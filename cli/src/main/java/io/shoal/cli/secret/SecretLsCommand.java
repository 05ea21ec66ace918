package io.shoal.cli.secret;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code shoal secret ls}. */
@Command(
    name = "ls",
    aliases = "list",
    description = "List secrets",
    mixinStandardHelpOptions = true)
public final class SecretLsCommand extends PayloadLsCommand {
  @Override
  List<StoredObject> list() {
    return control().listSecrets().stream().map(StoredObject::of).toList();
  }

  @Override
  boolean driverColumn() {
    return true;
  }
}
