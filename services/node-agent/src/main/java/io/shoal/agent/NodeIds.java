package io.shoal.agent;

import io.shoal.common.ids.Ids;
import io.shoal.common.server.tls.CannotStartException;
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

  /**
   * The id of the node's certificate: written to {@code stateDir} when none is there yet.
   *
   * @throws CannotStartException when {@code stateDir} holds another id: containers carry the
   *     old one, so the node would not find them again
   */
  public static String adopt(Path stateDir, String certificateId) {
    Path file = stateDir.resolve(FILE);
    if (Files.exists(file)) {
      String stored = loadOrCreate(stateDir);
      if (!stored.equals(certificateId)) {
        throw new CannotStartException(file + " says this node is " + stored + " but its certificate says "
            + certificateId + ": issue the certificate for " + stored + ", or use a new --state-dir");
      }
      return stored;
    }
    try {
      Files.createDirectories(stateDir);
      write(file, certificateId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the node id in " + file + ": " + e.getMessage(), e);
    }
    return certificateId;
  }

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
      write(file, id);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the node id in " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String id) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
    Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
