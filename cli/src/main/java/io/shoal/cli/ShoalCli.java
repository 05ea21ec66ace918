package io.shoal.cli;

import io.grpc.ManagedChannel;
import io.shoal.cli.client.ControlChannels;
import io.shoal.cli.client.ControlClient;
import io.shoal.cli.network.NetworkCommand;
import io.shoal.cli.node.NodeCommand;
import io.shoal.cli.service.ServiceCommand;
import io.shoal.cli.trace.CommandTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shoal}: the command line for a Shoal cluster, in Docker's words ({@code shoal service
 * create|ls|ps|inspect|update|rm|scale}, {@code shoal node ls}, {@code shoal network create|ls|inspect|rm}). It talks only to the control
 * service, over mutual TLS at {@code --host} (or {@code SHOAL_HOST}, default {@value
 * #DEFAULT_HOST}) with the certificate in {@code SHOAL_CERT_PATH} ({@link ControlChannels}).
 *
 * <p>Exit codes: 0 success, 1 an error (one line on stderr, {@code shoal: ...}), 2 a usage error.
 */
@Command(
    name = "shoal",
    mixinStandardHelpOptions = true,
    versionProvider = ShoalCli.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Run containerised services on a Shoal cluster, the way Docker Swarm mode does.",
    subcommands = {
      ServiceCommand.class,
      NodeCommand.class,
      NetworkCommand.class,
      io.shoal.cli.stack.StackCommand.class,
      io.shoal.cli.secret.SecretCommand.class,
      io.shoal.cli.secret.ConfigCommand.class,
      io.shoal.cli.cluster.ClusterCommand.class,
      io.shoal.cli.auth.LoginCommand.class,
      io.shoal.cli.events.EventsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ShoalCli implements Callable<Integer> {
  public static final String DEFAULT_HOST = "127.0.0.1:7400";

  /**
   * picocli names repeatable options with their label ("option '--publish' (PORT): ") and single
   * ones without; drop the label so every message reads the same.
   */
  private static final Pattern PARAM_LABEL =
      Pattern.compile("^(Invalid value for option '[^']+') \\([^)]*\\)");

  /**
   * A global option, given before the command as Docker's {@code -H} is: {@code service create
   * --host} is Docker's extra host mapping.
   */
  @Option(
      names = {"-H", "--host"},
      paramLabel = "HOST:PORT",
      description = "Control service address (env SHOAL_HOST; default " + DEFAULT_HOST + ").")
  private String host;

  /**
   * grpc-java logs through java.util.logging; a CLI reports failures itself, once. Held in a field
   * because JUL keeps loggers only weakly, and a collected logger forgets its level.
   */
  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

  @Spec private CommandSpec spec;

  private final CliContext context;
  private ManagedChannel channel;
  private ControlClient control;
  /** The command's trace (off unless SHOAL_TRACE_ENDPOINT is set). */
  private CommandTrace trace = CommandTrace.off();

  public ShoalCli(CliContext context) {
    this.context = context;
  }

  public static void main(String[] args) {
    GRPC_LOGGER.setLevel(Level.OFF);
    // Shared code (a renewal of the CLI's certificate) logs as a service would; the CLI says only
    // what fails. A property, not the resource file: that file also reaches JVMs sharing the classpath.
    System.setProperty("org.slf4j.simpleLogger.log.io.shoal.common", "warn");
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code;
    try (ControlChannels channels = new ControlChannels(System.getenv())) {
      code = run(CliContext.system(channels), out, err, args);
    }
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; tests call this directly. */
  public static int run(CliContext context, PrintWriter out, PrintWriter err, String... args) {
    CommandTrace trace;
    try {
      trace = CommandTrace.start(context.env());
    } catch (IllegalArgumentException e) {
      err.println("shoal: " + e.getMessage());
      err.flush();
      return 1;
    }
    ShoalCli cli = new ShoalCli(context);
    cli.trace = trace;
    CommandLine cmd = commandLine(cli);
    cmd.setOut(out);
    cmd.setErr(err);
    // The command's span is the root of its trace: every call it makes to control is inside it.
    cmd.setExecutionStrategy(parsed -> trace.around(spanName(parsed), () -> new CommandLine.RunLast().execute(parsed)));
    try {
      return cmd.execute(args);
    } finally {
      cli.close();
      trace.close();
    }
  }

  /** "shoal service create": the command's words, without its arguments. */
  private static String spanName(CommandLine.ParseResult parsed) {
    StringBuilder name = new StringBuilder(parsed.commandSpec().name());
    for (CommandLine.ParseResult sub = parsed.subcommand(); sub != null; sub = sub.subcommand()) {
      name.append(' ').append(sub.commandSpec().name());
    }
    return name.toString();
  }

  /** The picocli tree with Shoal's error handling: one {@code shoal: ...} line per failure. */
  public static CommandLine commandLine(ShoalCli cli) {
    CommandLine cmd = new CommandLine(cli);
    // Docker's flags may be repeated, the last one winning (`--name a --name b`).
    cmd.setOverwrittenOptionsAllowed(true);
    // Like `docker service create`, everything after IMAGE is the command, even words with dashes.
    cmd.getSubcommands().get("service").getSubcommands().get("create").setStopAtPositional(true);
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("shoal: " + ErrorMessages.describe(ex, cli.target()));
          if (cli.context.env().containsKey("SHOAL_DEBUG")) {
            ex.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    cmd.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println("shoal: " + PARAM_LABEL.matcher(ex.getMessage()).replaceFirst("$1"));
          err.println("See '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    return cmd;
  }

  /** {@code shoal} alone: the usage, like {@code docker}. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The {@code host:port} of control: {@code --host}, else SHOAL_HOST, else the default. */
  public String target() {
    if (host != null && !host.isBlank()) {
      return host;
    }
    String env = context.env().get("SHOAL_HOST");
    return env != null && !env.isBlank() ? env : DEFAULT_HOST;
  }

  public CliContext context() {
    return context;
  }

  /** The control client, connecting on first use. */
  public ControlClient control() {
    if (control == null) {
      String target = target();
      try {
        channel = context.channels().apply(target);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            "invalid control address \""
                + target
                + "\" (--host or SHOAL_HOST, host:port): "
                + e.getMessage(),
            e);
      }
      control = new ControlClient(trace.intercept(channel));
    }
    return control;
  }

  private void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  /** The version Maven filtered into {@code shoal-cli.properties}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = ShoalCli.class.getResourceAsStream("/shoal-cli.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"shoal " + p.getProperty("version", "(unknown version)")};
    }
  }
}
