package io.shoal.dispatcher;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.Payload;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Table;
import io.shoal.common.store.Tables;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The data of a secret or a config, as a node receives it: read from etcd when a node first
 * needs it ({@code secret_data/}, {@code config_data/}; not cached, so the dispatcher holds no
 * payload longer than one push), a secret's opened with the cluster key. What cannot be given
 * comes back as {@link FileData#getUnavailable()} with the reason the agent rejects the task with.
 * Nothing here logs data.
 */
@Singleton
final class FilePayloads {
  private final EtcdStore store;
  private final Optional<ClusterKey> key;

  @Inject
  FilePayloads(EtcdStore store, DispatcherConfig config) {
    this(store, config.clusterKey());
  }

  FilePayloads(EtcdStore store, Optional<ClusterKey> key) {
    this.store = store;
    this.key = key;
  }

  /** The data {@code ref} names, or why it cannot be had; reads etcd (blocks). */
  FileData get(FileDataRef ref) {
    FileData.Builder out = FileData.newBuilder().setRef(ref);
    boolean secret = ref.getKind() == FileDataKind.FILE_DATA_KIND_SECRET;
    String word = secret ? "secret" : "config";
    if (secret && key.isEmpty()) {
      return out.setUnavailable("the dispatcher has no cluster key, so it cannot open secret " + ref.getId()
          + " for this node; start the dispatcher with --cluster-key-file (control's key)").build();
    }
    Table<Payload> table = secret ? Tables.SECRET_DATA : Tables.CONFIG_DATA;
    Optional<Payload> payload = store.get(table, ref.getId());
    if (payload.isEmpty()) {
      return out.setUnavailable(word + " " + ref.getId() + " no longer exists").build();
    }
    if (!secret) {
      return out.setData(payload.get().getData()).build();
    }
    try {
      byte[] sealed = payload.get().getData().toByteArray();
      byte[] data = key.get().open(ClusterKey.Sealed.decode(sealed, "secret " + ref.getId()),
          ref.getId().getBytes(StandardCharsets.UTF_8), "secret " + ref.getId());
      return out.setData(ByteString.copyFrom(data)).build();
    } catch (ShoalException e) {
      // The message names keys and ids, never data; the session logs it.
      return out.setUnavailable(e.getMessage()).build();
    }
  }
}
