package io.shoal.cli.secret;

import picocli.CommandLine.Command;

/** {@code shoal secret rm SECRET...}. */
@Command(
    name = "rm",
    aliases = "remove",
    description = "Remove one or more secrets",
    mixinStandardHelpOptions = true)
public final class SecretRmCommand extends PayloadRmCommand {
  @Override
  void delete(String reference) {
    control().deleteSecret(reference);
  }
}
