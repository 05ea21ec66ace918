package io.shoal.cli.secret;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.ConfigSpec;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code shoal config create [OPTIONS] NAME FILE|-}. */
@Command(
    name = "create",
    description = "Create a config from a file or STDIN as content",
    customSynopsis = "shoal config create [OPTIONS] NAME FILE|-",
    mixinStandardHelpOptions = true)
public final class ConfigCreateCommand extends PayloadCreateCommand {
  @Override
  String create(String name, Map<String, String> labels, ByteString data) {
    return control().createConfig(ConfigSpec.newBuilder().setName(name).putAllLabels(labels).setData(data).build())
        .getId();
  }
}
