package io.shoal.agent.files;

import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each secret and config of a task goes, as Swarm places them: pure, no host involved.
 * A secret's target is relative to {@code /run/secrets/} (an absolute one is taken as is), a
 * config's is absolute (a relative one is taken from {@code /}); both default to the source's
 * name; uid and gid default to 0, the mode to 0444. On the host each file is named by its kind
 * and place in the spec ({@code secret-0}, {@code config-1}), never by a name from the spec, so
 * no target can reach outside the task's directory.
 */
public final class FileLayout {
  public static final String SECRETS_DIR = "/run/secrets/";
  public static final int DEFAULT_MODE = 0444;

  private FileLayout() {}

  /**
   * One file of a task.
   *
   * @param ref the object whose data it holds
   * @param source the object's name, for messages
   * @param hostName the file's name in the task's directory on the host
   * @param target its absolute path in the container
   */
  public record PlannedFile(FileDataRef ref, String source, String hostName, String target, int uid, int gid,
      int mode) {}

  /** The files of {@code task}, secrets first, in the spec's order. */
  public static List<PlannedFile> of(Task task) {
    List<PlannedFile> files = new ArrayList<>();
    List<SecretReference> secrets = task.getSpec().getSecretsList();
    for (int i = 0; i < secrets.size(); i++) {
      SecretReference s = secrets.get(i);
      files.add(planned(FileDataKind.FILE_DATA_KIND_SECRET, s.getSecretId(), s.getSecretName(), "secret-" + i,
          s.getFile(), SECRETS_DIR));
    }
    List<ConfigReference> configs = task.getSpec().getConfigsList();
    for (int i = 0; i < configs.size(); i++) {
      ConfigReference c = configs.get(i);
      files.add(planned(FileDataKind.FILE_DATA_KIND_CONFIG, c.getConfigId(), c.getConfigName(), "config-" + i,
          c.getFile(), "/"));
    }
    Set<String> targets = new HashSet<>();
    for (PlannedFile f : files) {
      if (!targets.add(f.target())) {
        throw new IllegalArgumentException("two files of the task have the target " + f.target());
      }
    }
    return files;
  }

  private static PlannedFile planned(FileDataKind kind, String id, String name, String hostName, FileTarget file,
      String base) {
    String given = file.getName().isEmpty() ? name : file.getName();
    String target = target(given, base);
    int mode = file.getMode() == 0 ? DEFAULT_MODE : file.getMode();
    if ((mode & ~0777) != 0) {
      throw new IllegalArgumentException(kindWord(kind) + " " + name + ": mode " + Integer.toOctalString(mode)
          + " is more than permission bits");
    }
    return new PlannedFile(FileDataRef.newBuilder().setKind(kind).setId(id).build(), name, hostName, target,
        id(file.getUid(), "uid"), id(file.getGid(), "gid"), mode);
  }

  /** {@code given} under {@code base} unless absolute; no empty, "." or ".." element. */
  static String target(String given, String base) {
    String path = given.startsWith("/") ? given : base + given;
    if (path.equals("/")) {
      throw new IllegalArgumentException("target " + given + " names no file");
    }
    for (String element : path.substring(1).split("/", -1)) {
      if (element.isEmpty() || element.equals(".") || element.equals("..")) {
        throw new IllegalArgumentException("target " + given + " has an empty, . or .. element");
      }
    }
    return path;
  }

  /** A numeric uid or gid, 0 when empty. */
  static int id(String value, String what) {
    if (value.isEmpty()) {
      return 0;
    }
    try {
      long id = Long.parseLong(value);
      if (id < 0 || id > 0xFFFF_FFFEL) {
        throw new NumberFormatException();
      }
      return (int) id;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " " + value + " is not a numeric id");
    }
  }

  static String kindWord(FileDataKind kind) {
    return kind == FileDataKind.FILE_DATA_KIND_SECRET ? "secret" : "config";
  }

  /** Bytes a tmpfs needs for files of these sizes: a page each at least, rounded up to pages. */
  public static long tmpfsBytes(List<Integer> sizes) {
    long bytes = 4096;
    for (int size : sizes) {
      bytes += Math.max(4096, (size + 4095L) / 4096 * 4096);
    }
    return bytes;
  }
}
