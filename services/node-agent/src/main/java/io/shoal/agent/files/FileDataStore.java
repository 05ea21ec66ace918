package io.shoal.agent.files;

import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.FileDataUpdate;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.Task;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data of the secrets and configs this node's tasks use, as the dispatcher sent it
 * (FileDataUpdate in dispatcher.proto): in memory only, until the dispatcher says no task uses
 * it or a complete assignment set names no task that does. Logs ids and sizes, never data.
 *
 * <p>Thread-safe: the session thread updates it, task runners read it.
 */
@Singleton
public final class FileDataStore {
  private static final Logger log = LoggerFactory.getLogger(FileDataStore.class);

  private final Map<FileDataRef, FileData> held = new ConcurrentHashMap<>();

  @Inject
  public FileDataStore() {}

  /** Applies one update of the session (on the session thread, before the assignments after it). */
  public void update(FileDataUpdate update) {
    for (FileData file : update.getFilesList()) {
      held.put(file.getRef(), file);
      if (file.hasData()) {
        log.info("received the data of {} {} ({} bytes)", FileLayout.kindWord(file.getRef().getKind()),
            file.getRef().getId(), file.getData().size());
      } else {
        log.warn("the dispatcher cannot send {} {}: {}", FileLayout.kindWord(file.getRef().getKind()),
            file.getRef().getId(), file.getUnavailable());
      }
    }
    for (FileDataRef ref : update.getRemovedList()) {
      if (held.remove(ref) != null) {
        log.info("forgot the data of {} {}: no task of this node uses it", FileLayout.kindWord(ref.getKind()),
            ref.getId());
      }
    }
  }

  /** Keeps only what {@code tasks} (a complete assignment set) reference: an earlier session's rest goes. */
  public void retainUsedBy(List<Task> tasks) {
    Set<FileDataRef> used = new HashSet<>();
    for (Task task : tasks) {
      for (SecretReference s : task.getSpec().getSecretsList()) {
        used.add(ref(FileDataKind.FILE_DATA_KIND_SECRET, s.getSecretId()));
      }
      for (ConfigReference c : task.getSpec().getConfigsList()) {
        used.add(ref(FileDataKind.FILE_DATA_KIND_CONFIG, c.getConfigId()));
      }
    }
    held.keySet().retainAll(used);
  }

  /** What the dispatcher sent for {@code ref}: its data or why it cannot; empty if nothing came. */
  public Optional<FileData> get(FileDataRef ref) {
    return Optional.ofNullable(held.get(ref));
  }

  /** How many objects are held (data or unavailable). */
  public int size() {
    return held.size();
  }

  private static FileDataRef ref(FileDataKind kind, String id) {
    return FileDataRef.newBuilder().setKind(kind).setId(id).build();
  }
}
