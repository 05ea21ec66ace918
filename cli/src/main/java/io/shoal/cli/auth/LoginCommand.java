package io.shoal.cli.auth;

import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.common.registry.RegistryAddress;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal login [-u USER] [--password-stdin] [REGISTRY]}: keeps a registry login in the
 * Docker client's config.json, in {@code docker login}'s format, for {@code service create|update
 * --with-registry-auth}. The login is not checked here: the registry service checks it when a
 * service is created with it, and says so in the warning when it is wrong.
 */
@Command(
    name = "login",
    description = "Keep a registry login for --with-registry-auth (in Docker's config.json)",
    mixinStandardHelpOptions = true)
public final class LoginCommand extends CliCommand {

  @Option(names = {"-u", "--username"}, description = "Username")
  String username;

  @Option(names = {"-p", "--password"}, description = "Password (insecure: prefer --password-stdin)")
  String password;

  @Option(names = "--password-stdin", description = "Take the password from stdin")
  boolean passwordStdin;

  @Parameters(index = "0", arity = "0..1", paramLabel = "REGISTRY",
      description = "Registry host[:port] (default: Docker Hub)")
  String registry = "docker.io";

  @Override
  public Integer call() throws IOException {
    String server = RegistryAddress.normalize(registry);
    if (passwordStdin && password != null) {
      throw new CliException("--password and --password-stdin are mutually exclusive");
    }
    Console console = System.console();
    if (username == null || username.isBlank()) {
      if (console == null || passwordStdin) {
        throw new CliException("a username is needed: pass --username (no terminal to ask on)");
      }
      username = console.readLine("Username: ");
    }
    if (passwordStdin) {
      password = new BufferedReader(new InputStreamReader(context().stdin(), StandardCharsets.UTF_8)).readLine();
    } else if (password != null) {
      err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
    } else if (console != null) {
      char[] typed = console.readPassword("Password: ");
      password = typed == null ? null : new String(typed);
    } else {
      throw new CliException("no terminal to ask for the password on: use --password-stdin");
    }
    if (password == null || password.isEmpty()) {
      throw new CliException("the password for " + server + " must not be empty");
    }
    DockerConfig config = DockerConfig.of(context().env());
    config.save(server, username.strip(), password.strip());
    out().println("Login for " + server + " saved in " + config.file()
        + " (checked by the registry when a service uses it with --with-registry-auth)");
    return 0;
  }
}
