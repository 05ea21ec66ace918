package io.shoal.cli.service;

import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.parse.FileReferenceSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code service create --secret/--config}: the secrets and configs each task gets as files;
 * control resolves the names and fills in Swarm's defaults (target the name, 0:0, 0444).
 */
public final class FileReferenceOptions {
  @Option(
      names = "--secret",
      paramLabel = "SECRET",
      converter = SecretConverter.class,
      description = "Specify secrets to expose to the service: NAME or"
          + " source=NAME[,target=FILE][,uid=UID][,gid=GID][,mode=MODE] (repeatable)")
  List<FileReferenceSpec.Parsed> secrets = new ArrayList<>();

  @Option(
      names = "--config",
      paramLabel = "CONFIG",
      converter = ConfigConverter.class,
      description = "Specify configurations to expose to the service: NAME or"
          + " source=NAME[,target=PATH][,uid=UID][,gid=GID][,mode=MODE] (repeatable)")
  List<FileReferenceSpec.Parsed> configs = new ArrayList<>();

  void applyTo(ServiceSpec.Builder spec) {
    secrets.forEach(s -> spec.addSecrets(s.secret()));
    configs.forEach(c -> spec.addConfigs(c.config()));
  }

  static final class SecretConverter implements ITypeConverter<FileReferenceSpec.Parsed> {
    @Override
    public FileReferenceSpec.Parsed convert(String value) {
      return parse(value, "secret");
    }
  }

  static final class ConfigConverter implements ITypeConverter<FileReferenceSpec.Parsed> {
    @Override
    public FileReferenceSpec.Parsed convert(String value) {
      return parse(value, "config");
    }
  }

  private static FileReferenceSpec.Parsed parse(String value, String what) {
    try {
      return FileReferenceSpec.parse(value, what);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
