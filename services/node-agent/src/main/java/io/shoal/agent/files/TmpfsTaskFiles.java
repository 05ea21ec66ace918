package io.shoal.agent.files;

import io.shoal.agent.exec.ContainerConfig;
import io.shoal.agent.exec.TaskFiles;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's secrets and configs as files: a tmpfs of its own per task at {@code <root>/<task id>}
 * (root only, sized to its files), checked to be a tmpfs in /proc/self/mountinfo before anything
 * is written, so the data never reaches the host's disk; each file with the reference's uid, gid
 * and mode, bound read-only at its target in the container. Removed (unmounted, then the empty
 * directory deleted) when the container is; {@link #present} lets the agent's sweep find those
 * whose container is gone (after a restart, a task still running keeps its own).
 *
 * <p>Thread-safe for distinct tasks: one runner handles a task at a time, and the sweep releases
 * only tasks no runner has.
 */
public final class TmpfsTaskFiles implements TaskFiles {
  private static final Logger log = LoggerFactory.getLogger(TmpfsTaskFiles.class);

  private final Path root;
  private final FileDataStore data;
  private final HostMounts mounts;

  public TmpfsTaskFiles(Path root, FileDataStore data) {
    this(root, data, new HostMounts());
  }

  TmpfsTaskFiles(Path root, FileDataStore data, HostMounts mounts) {
    this.root = root.toAbsolutePath().normalize();
    this.data = data;
    this.mounts = mounts;
  }

  /** Where the task's tmpfs is mounted. */
  public Path dir(String taskId) {
    return root.resolve(taskId);
  }

  @Override
  public List<ContainerConfig.FileMount> prepare(Task task) {
    List<FileLayout.PlannedFile> planned;
    try {
      planned = FileLayout.of(task);
    } catch (IllegalArgumentException e) {
      throw new FilesException("task: " + e.getMessage());
    }
    if (planned.isEmpty()) {
      return List.of();
    }
    // Every file's data first: nothing is mounted for a task that cannot have all of them.
    List<byte[]> contents = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (FileLayout.PlannedFile f : planned) {
      String what = FileLayout.kindWord(f.ref().getKind()) + " " + f.source() + " (" + f.ref().getId() + ")";
      FileData file = data.get(f.ref()).orElseThrow(() -> new FilesException(
          "task: the dispatcher sent this node no data for " + what));
      if (!file.hasData()) {
        throw new FilesException("task: " + what + ": " + file.getUnavailable());
      }
      byte[] bytes = file.getData().toByteArray();
      contents.add(bytes);
      sizes.add(bytes.length);
    }
    Path dir = dir(task.getId());
    release(task.getId()); // what an earlier attempt left
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new FilesException("task: cannot create " + dir + ": " + e.getMessage(), e);
    }
    mounts.mountTmpfs(dir, FileLayout.tmpfsBytes(sizes));
    if (!mounts.isTmpfs(dir)) {
      // Never write a secret where it could reach the disk.
      throw new FilesException("task: " + dir + " is not a tmpfs after mounting one; no file written");
    }
    List<ContainerConfig.FileMount> out = new ArrayList<>();
    for (int i = 0; i < planned.size(); i++) {
      FileLayout.PlannedFile f = planned.get(i);
      Path file = dir.resolve(f.hostName());
      write(file, contents.get(i), f);
      out.add(new ContainerConfig.FileMount(file.toString(), f.target()));
    }
    log.info("task {}: {} file(s) of secrets and configs ready in a tmpfs at {}", task.getId(), out.size(), dir);
    return out;
  }

  private static void write(Path file, byte[] bytes, FileLayout.PlannedFile f) {
    try {
      // Created readable by root alone, then handed over: never readable by others meanwhile.
      Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      Files.setAttribute(file, "unix:uid", f.uid(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(file, "unix:gid", f.gid(), LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(file, permissions(f.mode()));
    } catch (IOException | UnsupportedOperationException e) {
      throw new FilesException("task: cannot write the file for " + f.target() + ": " + e.getMessage(), e);
    }
  }

  /** Permission bits (at most 0777) as Java names them. */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }

  @Override
  public void release(String taskId) {
    Path dir = dir(taskId);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (mounts.isTmpfs(dir)) {
      mounts.unmount(dir);
    }
    if (mounts.isTmpfs(dir)) {
      throw new FilesException("task " + taskId + ": " + dir + " is still mounted");
    }
    try (Stream<Path> left = Files.list(dir)) {
      // Unmounted, the directory is the empty mount point on the host's file system.
      for (Path p : left.toList()) {
        Files.delete(p);
      }
      Files.delete(dir);
      log.info("task {}: its files' tmpfs is unmounted and removed", taskId);
    } catch (IOException e) {
      throw new FilesException("task " + taskId + ": cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The tasks that have a directory here (mounted or left over). */
  @Override
  public List<String> present() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new FilesException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }
}
