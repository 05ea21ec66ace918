package io.shoal.control.secret;

import com.google.protobuf.Message;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.Payload;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.store.Index;
import io.shoal.common.store.Table;
import io.shoal.common.store.Tables;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What tells secrets and configs apart for the code they share: where they are stored, the word
 * messages use, and how a service's spec refers to them.
 *
 * @param word "secret" or "config", as messages and flags say it
 * @param table the metadata, never the data
 * @param payloads the data, one {@link Payload} per object, apart so that listings never carry it
 * @param names the unique name index
 * @param nameOf the object's name
 * @param versionOf the object's version as read
 * @param idsUsedBy the ids of the objects of this kind a service spec references
 */
record Kind<T extends Message>(
    String word, Table<T> table, Table<Payload> payloads, Index names, Function<T, String> nameOf,
    Function<T, Long> versionOf, Function<ServiceSpec, Stream<String>> idsUsedBy) {

  static final Kind<Secret> SECRETS = new Kind<>("secret", Tables.SECRETS, Tables.SECRET_DATA, Tables.SECRET_NAMES,
      s -> s.getSpec().getName(), Secret::getVersion,
      spec -> spec.getSecretsList().stream().map(SecretReference::getSecretId));

  static final Kind<Config> CONFIGS = new Kind<>("config", Tables.CONFIGS, Tables.CONFIG_DATA, Tables.CONFIG_NAMES,
      c -> c.getSpec().getName(), Config::getVersion,
      spec -> spec.getConfigsList().stream().map(ConfigReference::getConfigId));

  /** Whether {@code spec} references the object {@code id}. */
  boolean usedBy(ServiceSpec spec, String id) {
    return idsUsedBy.apply(spec).anyMatch(id::equals);
  }
}
