package io.shoal.cli.service;

import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.parse.NetworkAttachmentSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code service create --network}: the networks the tasks join; control resolves the names. */
public final class NetworkOptions {
  @Option(
      names = "--network",
      paramLabel = "NETWORK",
      converter = AttachmentConverter.class,
      description = "Network to join, by name or id: NAME or name=NAME[,alias=ALIAS...] (repeatable)")
  List<NetworkAttachmentConfig> networks = new ArrayList<>();

  void applyTo(ServiceSpec.Builder spec) {
    spec.addAllNetworks(networks);
  }

  /** {@code NAME} or {@code name=NAME,alias=ALIAS}. */
  static final class AttachmentConverter implements ITypeConverter<NetworkAttachmentConfig> {
    @Override
    public NetworkAttachmentConfig convert(String value) {
      try {
        return NetworkAttachmentSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
