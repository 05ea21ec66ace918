package io.shoal.control.secret;

import io.shoal.api.v1.Secret;
import io.shoal.api.v1.SecretSpec;
import io.shoal.common.ids.Ids;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.time.Timestamps;
import io.shoal.control.paging.TablePager;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Secrets as the user sees them: create, look up, list, delete. The data is sealed under the
 * cluster key, with the secret's id as associated data, before it reaches etcd, and nothing here
 * returns it: the {@link Secret} kept and answered holds the name and labels only. A secret is
 * never changed (Swarm lets labels change; Shoal keeps no update at all, as the issue asks): a
 * new value is a new secret under a new name.
 */
public final class SecretManager {
  private final PayloadObjects<Secret> objects;
  private final Provider<ClusterKey> key;
  private final Clock clock;

  /**
   * @param key asked for on each create only, so control runs without a cluster key until a
   *     secret is created (its provider then says how to give one)
   */
  @Inject
  public SecretManager(EtcdStore store, Provider<ClusterKey> key, Clock clock) {
    this.objects = new PayloadObjects<>(store, Kind.SECRETS);
    this.key = key;
    this.clock = clock;
  }

  /**
   * Checks, seals and stores a secret.
   *
   * @return the secret as stored: metadata only
   */
  public Secret create(SecretSpec spec) {
    PayloadSpecs.check("SecretSpec", "secret", spec.getName(), spec.getLabelsMap(), spec.getData(),
        spec.toBuilder().clearData().build().getSerializedSize());
    objects.requireFreeName(spec.getName());
    ClusterKey sealing = key.get();
    String id = Ids.newId();
    Secret secret = Secret.newBuilder().setId(id).setSpec(spec.toBuilder().clearData())
        .setCreateTime(Timestamps.now(clock)).setUpdateTime(Timestamps.now(clock)).build();
    byte[] sealed = sealing.seal(spec.getData().toByteArray(), associatedData(id)).encode();
    return objects.create(id, secret, sealed);
  }

  /** By id, name or unique id prefix: metadata only. */
  public Secret find(String reference) {
    return objects.find(reference);
  }

  /** One page of secrets, metadata only, in id order. */
  public TablePager.Page<Secret> list(int pageSize, String pageToken) {
    return objects.list(pageSize, pageToken);
  }

  /** Deletes a secret no service uses, and its sealed data. */
  public void delete(String reference) {
    objects.delete(reference);
  }

  /** What a secret's data is sealed with besides the key: its id, so it opens for that secret only. */
  public static byte[] associatedData(String secretId) {
    return secretId.getBytes(StandardCharsets.UTF_8);
  }
}
