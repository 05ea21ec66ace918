package io.shoal.dispatcher;

import com.google.protobuf.CodedOutputStream;
import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.FileDataUpdate;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.task.TaskStates;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The secrets and configs one session's agent holds, and what a push must add or remove so that
 * it holds exactly those its tasks use (FileDataUpdate in dispatcher.proto). Not thread-safe: one
 * pusher thread per dispatcher.
 */
final class SentFileData {
  /**
   * The data one node holds at most: a service may use 64 objects of 500 KiB (32 MiB per task),
   * so two such services fit; past it an object goes out {@code unavailable} and its task is
   * REJECTED there and placed elsewhere. It bounds what one push may queue for an agent, and the
   * agent's memory.
   */
  static final long MAX_NODE_BYTES = 64L << 20;
  /** FileData are put into one message up to this size (as {@link AssignmentChunks#CHUNK_BYTES}). */
  static final int CHUNK_BYTES = AssignmentChunks.CHUNK_BYTES;
  private static final int OVERHEAD = 64;

  /** Object → bytes of its data the agent holds (0 when sent {@code unavailable}). */
  private final Map<FileDataRef, Integer> held = new HashMap<>();
  private long heldBytes;

  @Inject
  SentFileData() {}

  /**
   * What this push sends.
   *
   * @param before additions, to go before the assignments (empty when none)
   * @param after removals, to go after them (empty when none)
   */
  record Push(List<FileDataUpdate> before, List<FileDataUpdate> after) {}

  /** The objects a task still to run uses; its data is needed until its container exists. */
  static Set<FileDataRef> used(List<Task> tasks) {
    Set<FileDataRef> used = new LinkedHashSet<>();
    for (Task task : tasks) {
      if (task.getDesiredState() != TaskState.TASK_STATE_RUNNING || TaskStates.terminal(task.getStatus().getState())) {
        continue;
      }
      for (SecretReference s : task.getSpec().getSecretsList()) {
        used.add(ref(FileDataKind.FILE_DATA_KIND_SECRET, s.getSecretId()));
      }
      for (ConfigReference c : task.getSpec().getConfigsList()) {
        used.add(ref(FileDataKind.FILE_DATA_KIND_CONFIG, c.getConfigId()));
      }
    }
    return used;
  }

  static FileDataRef ref(FileDataKind kind, String id) {
    return FileDataRef.newBuilder().setKind(kind).setId(id).build();
  }

  /**
   * The updates that take the agent from what it holds to what {@code tasks} (the node's set as
   * sent in this push) use; {@code source} gives an object's data (asked only for new ones).
   */
  Push next(List<Task> tasks, Function<FileDataRef, FileData> source) {
    Set<FileDataRef> used = used(tasks);
    List<FileData> added = new ArrayList<>();
    for (FileDataRef ref : used) {
      if (held.containsKey(ref)) {
        continue;
      }
      FileData data = source.apply(ref);
      int bytes = data.hasData() ? data.getData().size() : 0;
      if (heldBytes + bytes > MAX_NODE_BYTES) {
        data = FileData.newBuilder().setRef(ref).setUnavailable("this node already holds " + heldBytes
            + " bytes of secrets and configs for its tasks; " + bytes + " more would pass the limit of "
            + MAX_NODE_BYTES + " bytes (64 MiB)").build();
        bytes = 0;
      }
      held.put(ref, bytes);
      heldBytes += bytes;
      added.add(data);
    }
    List<FileDataRef> removed = new ArrayList<>();
    for (Iterator<Map.Entry<FileDataRef, Integer>> it = held.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<FileDataRef, Integer> e = it.next();
      if (!used.contains(e.getKey())) {
        removed.add(e.getKey());
        heldBytes -= e.getValue();
        it.remove();
      }
    }
    return new Push(chunks(added, List.of()), chunks(List.of(), removed));
  }

  /** Bytes of data the agent holds now. */
  long heldBytes() {
    return heldBytes;
  }

  /** Messages of at most about {@link #CHUNK_BYTES} each (one FileData of 500 KiB always fits). */
  private static List<FileDataUpdate> chunks(List<FileData> files, List<FileDataRef> removed) {
    List<FileDataUpdate> parts = new ArrayList<>();
    FileDataUpdate.Builder part = FileDataUpdate.newBuilder();
    int size = OVERHEAD;
    for (FileData file : files) {
      int n = CodedOutputStream.computeMessageSize(FileDataUpdate.FILES_FIELD_NUMBER, file);
      if (size + n > CHUNK_BYTES && size > OVERHEAD) {
        parts.add(part.build());
        part = FileDataUpdate.newBuilder();
        size = OVERHEAD;
      }
      part.addFiles(file);
      size += n;
    }
    for (FileDataRef ref : removed) {
      int n = CodedOutputStream.computeMessageSize(FileDataUpdate.REMOVED_FIELD_NUMBER, ref);
      if (size + n > CHUNK_BYTES && size > OVERHEAD) {
        parts.add(part.build());
        part = FileDataUpdate.newBuilder();
        size = OVERHEAD;
      }
      part.addRemoved(ref);
      size += n;
    }
    if (size > OVERHEAD) {
      parts.add(part.build());
    }
    return parts;
  }
}
