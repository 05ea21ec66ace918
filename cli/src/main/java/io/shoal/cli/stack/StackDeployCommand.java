package io.shoal.cli.stack;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.CliCommand;
import io.shoal.cli.CliException;
import io.shoal.cli.auth.RegistryAuthFlag;
import io.shoal.cli.compose.ComposeFile;
import io.shoal.cli.compose.ServiceArgs;
import io.shoal.cli.compose.StackLabels;
import io.shoal.cli.service.ServiceCreateCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal stack deploy -c FILE STACK}: the compose file's services as {@code STACK_NAME},
 * each read through {@code service create}'s own flags ({@link ServiceArgs}), so a bad file is
 * refused whole before anything changes. A second deploy updates only the services whose
 * definition changed (a digest of it is a label on the service), creates new ones, and with
 * {@code --prune} removes those no longer in the file.
 */
@Command(
    name = "deploy",
    aliases = "up",
    description = "Deploy a new stack or update an existing stack",
    customSynopsis = "shoal stack deploy [OPTIONS] STACK",
    mixinStandardHelpOptions = true)
public final class StackDeployCommand extends CliCommand {
  @Option(names = {"-c", "--compose-file"}, required = true, paramLabel = "FILE",
      description = "Path to a Compose file, or \"-\" to read from stdin")
  String composeFile;

  @Option(names = "--with-registry-auth", description = "Send registry authentication details to Swarm agents")
  boolean withRegistryAuth;

  @Option(names = "--prune", description = "Prune services that are no longer referenced")
  boolean prune;

  @Parameters(index = "0", paramLabel = "STACK", description = "Stack name")
  String stack;

  @Override
  public Integer call() throws IOException {
    ComposeFile file = read();
    file.unsetVariables().forEach(v ->
        err().println("shoal: warning: the " + v + " variable is not set; defaulting to a blank string"));
    // Every service is converted before anything is created: a bad file changes nothing.
    Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    TreeSet<String> ignored = new TreeSet<>();
    boolean needsDefaultNetwork = false;
    for (String key : file.services().keySet()) {
      ServiceArgs.Converted converted = ServiceArgs.convert(stack, file, key);
      ignored.addAll(converted.ignored());
      ServiceSpec.Builder spec;
      try {
        spec = ServiceCreateCommand.specOf(context(), converted.args()).toBuilder();
      } catch (ParameterException e) {
        throw new CliException("services." + key + ": " + e.getMessage(), e);
      }
      converted.adjust().accept(spec);
      needsDefaultNetwork |= spec.getNetworksList().stream()
          .anyMatch(n -> n.getTarget().equals(stack + "_default"));
      spec.putLabels(StackLabels.DEFINITION, digest(spec.build()));
      specs.put(converted.name(), spec.build());
    }
    if (!ignored.isEmpty()) {
      err().println("Ignoring unsupported options: " + String.join(", ", ignored));
      err().flush();
    }
    StackResources resources = new StackResources(control(), out(), stack, file);
    resources.networks(needsDefaultNetwork);
    resources.files("secrets");
    resources.files("configs");
    Map<String, Service> existing = StackServices.of(control(), stack).stream()
        .collect(Collectors.toMap(s -> s.getSpec().getName(), Function.identity()));
    for (Map.Entry<String, ServiceSpec> e : specs.entrySet()) {
      deploy(e.getKey(), e.getValue(), Optional.ofNullable(existing.get(e.getKey())));
    }
    if (prune) {
      for (Service gone : existing.values()) {
        if (!specs.containsKey(gone.getSpec().getName())) {
          out().println("Removing service " + gone.getSpec().getName());
          control().deleteService(gone.getId());
        }
      }
    }
    out().flush();
    return 0;
  }

  private void deploy(String name, ServiceSpec spec, Optional<Service> current) {
    Optional<RegistryAuth> auth = withRegistryAuth
        ? RegistryAuthFlag.forImage(spec.getContainer().getImage(), context().env(), err())
        : Optional.empty();
    if (current.isEmpty()) {
      out().println("Creating service " + name);
      control().createService(spec, false, auth);
      return;
    }
    Service s = current.get();
    String was = s.getSpec().getLabelsMap().get(StackLabels.DEFINITION);
    if (spec.getLabelsMap().get(StackLabels.DEFINITION).equals(was) && auth.isEmpty()) {
      out().println("Service " + name + " is up to date");
      return;
    }
    out().println("Updating service " + name + " (id: " + s.getId() + ")");
    control().updateService(s.getId(), s.getVersion(), spec, false, auth, true);
  }

  private ComposeFile read() throws IOException {
    if (composeFile.equals("-")) {
      try (InputStream in = context().stdin()) {
        return ComposeFile.parse("stdin", new String(in.readAllBytes(), StandardCharsets.UTF_8), context().cwd(),
            context().env());
      }
    }
    Path path = context().path(composeFile);
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new CliException("cannot read the compose file " + path + ": " + e.getMessage(), e);
    }
    return ComposeFile.parse(composeFile, text, path.toAbsolutePath().getParent(), context().env());
  }

  /** SHA-256 of the spec as deployed from the file (protobuf's deterministic encoding). */
  static String digest(ServiceSpec spec) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      spec.writeTo(out);
      out.flush();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
