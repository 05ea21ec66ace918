package io.shoal.cli.testing;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.ConfigSpec;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.SecretSpec;
import io.shoal.api.v1.Service;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The secret and config half of {@link FakeControlService}, in memory: names unique, a secret's
 * data dropped at once (as control never answers it), a config's kept for GetConfig only, and
 * removal refused while a service uses one, in control's words. Not thread-safe: the fake calls
 * it under its lock.
 */
final class FakePayloads {
  private final Map<String, Secret> secrets = new LinkedHashMap<>();
  private final Map<String, Config> configs = new LinkedHashMap<>();
  private final Supplier<String> ids;
  private final Clock clock;
  private final List<SecretSpec> secretCreates = new ArrayList<>();

  FakePayloads(Supplier<String> ids, Clock clock) {
    this.ids = ids;
    this.clock = clock;
  }

  private Timestamp now() {
    return Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()).setNanos(clock.instant().getNano()).build();
  }

  private static void requireFree(Collection<String> names, String name, String what) {
    if (names.contains(name)) {
      throw Status.ALREADY_EXISTS.withDescription(what + " " + name + " already exists").asRuntimeException();
    }
  }

  Secret addSecret(SecretSpec spec) {
    requireFree(secrets.values().stream().map(s -> s.getSpec().getName()).toList(), spec.getName(), "secret");
    secretCreates.add(spec);
    Secret secret = Secret.newBuilder().setId(ids.get()).setVersion(1).setSpec(spec.toBuilder().clearData())
        .setCreateTime(now()).setUpdateTime(now()).build();
    secrets.put(secret.getId(), secret);
    return secret;
  }

  Config addConfig(ConfigSpec spec) {
    requireFree(configs.values().stream().map(c -> c.getSpec().getName()).toList(), spec.getName(), "config");
    Config config = Config.newBuilder().setId(ids.get()).setVersion(1).setSpec(spec)
        .setCreateTime(now()).setUpdateTime(now()).build();
    configs.put(config.getId(), config);
    return config;
  }

  /** What CreateSecret received, data included: only the fake sees it. */
  List<SecretSpec> secretCreates() {
    return List.copyOf(secretCreates);
  }

  List<Secret> secrets() {
    return new ArrayList<>(secrets.values());
  }

  /** Without their data, as control lists them. */
  List<Config> configs() {
    return configs.values().stream()
        .map(c -> c.toBuilder().setSpec(c.getSpec().toBuilder().clearData()).build()).toList();
  }

  Secret secret(String reference) {
    return find(secrets, reference, "secret", s -> s.getSpec().getName(), Secret::getId);
  }

  Config config(String reference) {
    return find(configs, reference, "config", c -> c.getSpec().getName(), Config::getId);
  }

  void removeSecret(String reference, Collection<Service> services) {
    Secret s = secret(reference);
    refuseInUse("secret", s.getSpec().getName(), services.stream().filter(svc -> svc.getSpec().getSecretsList().stream()
        .map(SecretReference::getSecretName).anyMatch(s.getSpec().getName()::equals)).toList());
    secrets.remove(s.getId());
  }

  void removeConfig(String reference, Collection<Service> services) {
    Config c = config(reference);
    refuseInUse("config", c.getSpec().getName(), services.stream().filter(svc -> svc.getSpec().getConfigsList().stream()
        .map(ConfigReference::getConfigName).anyMatch(c.getSpec().getName()::equals)).toList());
    configs.remove(c.getId());
  }

  private static void refuseInUse(String what, String name, List<Service> users) {
    if (!users.isEmpty()) {
      List<String> names = users.stream().map(u -> u.getSpec().getName()).sorted().toList();
      throw Status.FAILED_PRECONDITION.withDescription(what + " " + name + " is in use by "
          + (names.size() == 1 ? "service " : "services ") + String.join(", ", names)
          + "; take it off them first (service update --" + what + "-rm " + name + " SERVICE) or remove them")
          .asRuntimeException();
    }
  }

  private static <T> T find(Map<String, T> all, String reference, String what,
      java.util.function.Function<T, String> name, java.util.function.Function<T, String> id) {
    if (all.containsKey(reference)) {
      return all.get(reference);
    }
    return all.values().stream().filter(o -> name.apply(o).equals(reference)).findFirst()
        .or(() -> {
          List<T> byPrefix = all.values().stream().filter(o -> id.apply(o).startsWith(reference)).toList();
          return byPrefix.size() == 1 && !reference.isEmpty() ? java.util.Optional.of(byPrefix.get(0))
              : java.util.Optional.empty();
        })
        .orElseThrow(() -> Status.NOT_FOUND.withDescription(what + " " + reference + " not found").asRuntimeException());
  }
}
