package io.shoal.cli.service;

import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.parse.FileReferenceSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code service update --secret-add/--secret-rm/--config-add/--config-rm}, as Docker applies
 * them: removals (by the source's name) first, then additions appended; control refuses a target
 * given twice and resolves the new names.
 */
public final class FileReferenceUpdateOptions {
  @Option(names = "--secret-add", paramLabel = "SECRET", converter = FileReferenceOptions.SecretConverter.class,
      description = "Add or update a secret on a service: NAME or source=NAME[,target=FILE][,uid=UID][,gid=GID][,mode=MODE]")
  List<FileReferenceSpec.Parsed> secretAdd = new ArrayList<>();

  @Option(names = "--secret-rm", paramLabel = "SECRET", description = "Remove a secret, by name")
  List<String> secretRm = new ArrayList<>();

  @Option(names = "--config-add", paramLabel = "CONFIG", converter = FileReferenceOptions.ConfigConverter.class,
      description = "Add or update a config file on a service: NAME or source=NAME[,target=PATH][,uid=UID][,gid=GID][,mode=MODE]")
  List<FileReferenceSpec.Parsed> configAdd = new ArrayList<>();

  @Option(names = "--config-rm", paramLabel = "CONFIG", description = "Remove a configuration file, by name")
  List<String> configRm = new ArrayList<>();

  /** Applies the flags to {@code spec}; returns the --secret-rm/--config-rm values that matched nothing. */
  List<String> applyTo(ServiceSpec.Builder spec) {
    List<String> unmatched = new ArrayList<>();
    List<SecretReference> secrets = edit(spec.getSecretsList(), SecretReference::getSecretName, secretRm,
        "--secret-rm", unmatched);
    secretAdd.forEach(s -> secrets.add(s.secret()));
    List<ConfigReference> configs = edit(spec.getConfigsList(), ConfigReference::getConfigName, configRm,
        "--config-rm", unmatched);
    configAdd.forEach(c -> configs.add(c.config()));
    spec.clearSecrets().addAllSecrets(secrets).clearConfigs().addAllConfigs(configs);
    return unmatched;
  }

  private static <R> List<R> edit(List<R> current, Function<R, String> name, List<String> remove, String flag,
      List<String> unmatched) {
    Set<String> left = new LinkedHashSet<>(remove);
    List<R> kept = new ArrayList<>();
    for (R ref : current) {
      if (remove.contains(name.apply(ref))) {
        left.remove(name.apply(ref));
      } else {
        kept.add(ref);
      }
    }
    left.forEach(n -> unmatched.add(flag + " " + n));
    return kept;
  }
}
