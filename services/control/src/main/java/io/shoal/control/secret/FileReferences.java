package io.shoal.control.secret;

import com.google.protobuf.Message;
import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Txn;
import io.shoal.control.limits.SpecLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A service's secrets and configs ({@code ServiceSpec.secrets}, {@code configs}), for
 * {@code ServiceManager}: each source resolved (by id, else by exact name) and stored with both,
 * its file checked and defaulted ({@link FileTargets}), and guarded in the service's own
 * transaction, so a secret cannot be removed between the check and the commit.
 */
public final class FileReferences {
  private final EtcdStore store;

  /** A reference as both kinds hold it. */
  private record Ref(String id, String name, FileTarget file) {}

  public FileReferences(EtcdStore store) {
    this.store = store;
  }

  /**
   * The spec with every reference's source id and name filled in and its file defaulted.
   * INVALID_ARGUMENT for a bound broken or a target given twice; NOT_FOUND naming a source that
   * does not exist.
   */
  public ServiceSpec resolve(ServiceSpec spec) {
    int secretCount = spec.getSecretsCount();
    int configCount = spec.getConfigsCount();
    if (secretCount + configCount > PayloadLimits.MAX_REFERENCES) {
      throw new InvalidArgumentException(configCount > 0 ? "ServiceSpec.configs" : "ServiceSpec.secrets",
          secretCount + " secrets and " + configCount + " configs; a service may use at most "
              + PayloadLimits.MAX_REFERENCES + " together");
    }
    List<Ref> secrets = resolve(Kind.SECRETS, "ServiceSpec.secrets", spec.getSecretsList().stream()
        .map(r -> new Ref(r.getSecretId(), r.getSecretName(), r.getFile())).toList());
    List<Ref> configs = resolve(Kind.CONFIGS, "ServiceSpec.configs", spec.getConfigsList().stream()
        .map(r -> new Ref(r.getConfigId(), r.getConfigName(), r.getFile())).toList());
    requireDistinctPaths(secrets, configs);
    ServiceSpec.Builder resolved = spec.toBuilder().clearSecrets().clearConfigs();
    secrets.forEach(r -> resolved.addSecrets(
        SecretReference.newBuilder().setSecretId(r.id()).setSecretName(r.name()).setFile(r.file())));
    configs.forEach(r -> resolved.addConfigs(
        ConfigReference.newBuilder().setConfigId(r.id()).setConfigName(r.name()).setFile(r.file())));
    return resolved.build();
  }

  /** A config may not land on a secret's file: both are files of one container. */
  private static void requireDistinctPaths(List<Ref> secrets, List<Ref> configs) {
    Set<String> secretPaths = new HashSet<>();
    secrets.forEach(r -> secretPaths.add(r.file().getName().startsWith("/") ? r.file().getName()
        : "/run/secrets/" + r.file().getName()));
    for (int i = 0; i < configs.size(); i++) {
      String name = configs.get(i).file().getName();
      String path = name.startsWith("/") ? name : "/" + name;
      if (secretPaths.contains(path)) {
        throw new InvalidArgumentException("ServiceSpec.configs[" + i + "].file.name",
            "target " + path + " is a secret's file too");
      }
    }
  }

  private <T extends Message> List<Ref> resolve(Kind<T> kind, String field, List<Ref> refs) {
    PayloadObjects<T> objects = new PayloadObjects<>(store, kind);
    List<Ref> resolved = new ArrayList<>();
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < refs.size(); i++) {
      Ref ref = refs.get(i);
      String at = field + "[" + i + "]";
      SpecLimits.length(at + "." + kind.word() + "_id", ref.id(), PayloadLimits.MAX_SOURCE);
      SpecLimits.length(at + "." + kind.word() + "_name", ref.name(), PayloadLimits.MAX_SOURCE);
      Optional<T> found;
      if (!ref.id().isEmpty()) {
        found = objects.byId(ref.id());
      } else if (!ref.name().isEmpty()) {
        found = objects.byName(ref.name());
      } else {
        throw new InvalidArgumentException(at + "." + kind.word() + "_name",
            "a " + kind.word() + " name must be provided (source=NAME)");
      }
      T object = found.orElseThrow(() -> ShoalException.notFound(
          kind.word() + " " + (ref.id().isEmpty() ? ref.name() : ref.id()) + " not found"));
      String name = kind.nameOf().apply(object);
      FileTarget file = FileTargets.normalize(at + ".file", ref.file(), name, kind == Kind.SECRETS);
      if (!targets.add(file.getName())) {
        throw new InvalidArgumentException(at + ".file.name", "target " + file.getName() + " is given twice");
      }
      resolved.add(new Ref(kind.table().idOf(object), name, file));
    }
    return resolved;
  }

  /**
   * Adds to {@code txn}, for each secret and config {@code after} uses and {@code before} (null:
   * none) did not, a rewrite of it as read, guarded by its version: a delete that read the
   * services before this commit then conflicts and sees the service, and one deleted since the
   * resolve fails this transaction. Those already in use need no guard: no delete passes while a
   * service uses them.
   *
   * @throws ShoalException NOT_FOUND naming a secret or config that no longer exists
   */
  public void attach(Txn txn, ServiceSpec before, ServiceSpec after) {
    attach(txn, Kind.SECRETS, before, after);
    attach(txn, Kind.CONFIGS, before, after);
  }

  private <T extends Message> void attach(Txn txn, Kind<T> kind, ServiceSpec before, ServiceSpec after) {
    Set<String> had = before == null ? Set.of() : kind.idsUsedBy().apply(before).collect(Collectors.toSet());
    for (String id : kind.idsUsedBy().apply(after).collect(Collectors.toSet())) {
      if (had.contains(id)) {
        continue;
      }
      T object = store.get(kind.table(), id)
          .orElseThrow(() -> ShoalException.notFound(kind.word() + " " + id + " no longer exists"));
      txn.update(kind.table(), id, object, kind.versionOf().apply(object));
    }
  }
}
