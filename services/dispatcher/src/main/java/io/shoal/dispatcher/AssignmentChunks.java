package io.shoal.dispatcher;

import com.google.protobuf.CodedOutputStream;
import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.AssignmentsType;
import io.shoal.api.v1.Task;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an Assignments message into parts that fit a Session message (dispatcher.proto): a
 * COMPLETE set into COMPLETE parts, all but the last marked {@code continued} (the agent acts on
 * the whole set once it has the last); an INCREMENTAL change into INCREMENTAL parts, each
 * applicable alone.
 */
final class AssignmentChunks {
  /**
   * A Session message may be 4 MiB (gRPC's default, set explicitly on the agent's channel);
   * the dispatcher sends none bigger.
   */
  static final int MAX_MESSAGE_BYTES = 4 << 20;
  /**
   * Parts are filled up to 1 MiB: small enough that an agent starts on a big set early and
   * the flow-control window moves in steps, big enough that a set of 10,000 small tasks takes
   * a few messages.
   */
  static final int CHUNK_BYTES = 1 << 20;
  /** Room for the rest of the message: its type, flags and the SessionResponse around it. */
  private static final int OVERHEAD = 64;

  private final int chunkBytes;

  @Inject
  AssignmentChunks() {
    this(CHUNK_BYTES);
  }

  AssignmentChunks(int chunkBytes) {
    this.chunkBytes = chunkBytes;
  }

  /** Whether a task fits in a Session message at all (alone). */
  static boolean fits(Task task) {
    return CodedOutputStream.computeMessageSize(Assignments.TASKS_FIELD_NUMBER, task) <= MAX_MESSAGE_BYTES - OVERHEAD;
  }

  /** {@code message} as it goes on the wire: itself if it fits in one part. */
  List<Assignments> split(Assignments message) {
    boolean complete = message.getType() != AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL;
    List<Assignments> parts = new ArrayList<>();
    Assignments.Builder part = Assignments.newBuilder().setType(message.getType());
    int size = OVERHEAD;
    for (Task task : message.getTasksList()) {
      int taskSize = CodedOutputStream.computeMessageSize(Assignments.TASKS_FIELD_NUMBER, task);
      if (size + taskSize > chunkBytes && size > OVERHEAD) {
        parts.add(part.setContinued(complete).build());
        part = Assignments.newBuilder().setType(message.getType());
        size = OVERHEAD;
      }
      part.addTasks(task);
      size += taskSize;
    }
    for (String id : message.getRemovedTaskIdsList()) {
      int idSize = CodedOutputStream.computeStringSize(Assignments.REMOVED_TASK_IDS_FIELD_NUMBER, id);
      if (size + idSize > chunkBytes && size > OVERHEAD) {
        parts.add(part.build());
        part = Assignments.newBuilder().setType(message.getType());
        size = OVERHEAD;
      }
      part.addRemovedTaskIds(id);
      size += idSize;
    }
    parts.add(part.build());
    return parts;
  }
}
