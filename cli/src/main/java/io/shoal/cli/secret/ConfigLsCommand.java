package io.shoal.cli.secret;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code shoal config ls}. */
@Command(
    name = "ls",
    aliases = "list",
    description = "List configs",
    mixinStandardHelpOptions = true)
public final class ConfigLsCommand extends PayloadLsCommand {
  @Override
  List<StoredObject> list() {
    return control().listConfigs().stream().map(StoredObject::of).toList();
  }

  @Override
  boolean driverColumn() {
    return false;
  }
}
