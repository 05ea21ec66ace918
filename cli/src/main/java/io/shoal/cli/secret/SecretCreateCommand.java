package io.shoal.cli.secret;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.SecretSpec;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code shoal secret create [OPTIONS] NAME FILE|-}. */
@Command(
    name = "create",
    description = "Create a secret from a file or STDIN as content",
    customSynopsis = "shoal secret create [OPTIONS] NAME FILE|-",
    mixinStandardHelpOptions = true)
public final class SecretCreateCommand extends PayloadCreateCommand {
  @Override
  String create(String name, Map<String, String> labels, ByteString data) {
    return control().createSecret(SecretSpec.newBuilder().setName(name).putAllLabels(labels).setData(data).build())
        .getId();
  }
}
