package io.shoal.agent;

import io.shoal.common.ids.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The node's id, generated once and kept in {@code STATE_DIR/node-id}, so a restarted agent is
 * the same node and finds its containers again (they carry the id in a label).
 */
public final class NodeIds {
  public static final String FILE = "node-id";

  private NodeIds() {}

  /** Reads the id from {@code stateDir}, or generates one and writes it there (atomically). */
  public static String loadOrCreate(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!id.isEmpty()) {
          return id;
        }
      }
      Files.createDirectories(stateDir);
      String id = Ids.newId();
      Path tmp = Files.createTempFile(stateDir, FILE, ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the node id in " + file + ": " + e.getMessage(), e);
    }
  }
}
