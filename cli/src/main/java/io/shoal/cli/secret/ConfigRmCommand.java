package io.shoal.cli.secret;

import picocli.CommandLine.Command;

/** {@code shoal config rm CONFIG...}. */
@Command(
    name = "rm",
    aliases = "remove",
    description = "Remove one or more configs",
    mixinStandardHelpOptions = true)
public final class ConfigRmCommand extends PayloadRmCommand {
  @Override
  void delete(String reference) {
    control().deleteConfig(reference);
  }
}
