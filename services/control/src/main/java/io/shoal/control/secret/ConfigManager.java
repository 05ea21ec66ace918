package io.shoal.control.secret;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ConfigSpec;
import io.shoal.common.ids.Ids;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.time.Timestamps;
import io.shoal.control.paging.TablePager;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Configs as the user sees them: create, look up (with the data, which is not secret), list
 * (without it), delete. Stored as secrets are, with the data in the clear; never changed either.
 */
public final class ConfigManager {
  private final PayloadObjects<Config> objects;
  private final Clock clock;

  @Inject
  public ConfigManager(EtcdStore store, Clock clock) {
    this.objects = new PayloadObjects<>(store, Kind.CONFIGS);
    this.clock = clock;
  }

  /**
   * Checks and stores a config.
   *
   * @return the config as stored, with its data
   */
  public Config create(ConfigSpec spec) {
    PayloadSpecs.check("ConfigSpec", "config", spec.getName(), spec.getLabelsMap(), spec.getData(),
        spec.toBuilder().clearData().build().getSerializedSize());
    objects.requireFreeName(spec.getName());
    String id = Ids.newId();
    Config config = Config.newBuilder().setId(id).setSpec(spec.toBuilder().clearData())
        .setCreateTime(Timestamps.now(clock)).setUpdateTime(Timestamps.now(clock)).build();
    Config stored = objects.create(id, config, spec.getData().toByteArray());
    return withData(stored, spec.getData());
  }

  /** By id, name or unique id prefix, with its data. */
  public Config find(String reference) {
    Config config = objects.find(reference);
    return withData(config, objects.payload(config.getId()).getData());
  }

  /** One page of configs, without their data, in id order. */
  public TablePager.Page<Config> list(int pageSize, String pageToken) {
    return objects.list(pageSize, pageToken);
  }

  /** Deletes a config no service uses, and its data. */
  public void delete(String reference) {
    objects.delete(reference);
  }

  private static Config withData(Config config, ByteString data) {
    return config.toBuilder().setSpec(config.getSpec().toBuilder().setData(data)).build();
  }
}
