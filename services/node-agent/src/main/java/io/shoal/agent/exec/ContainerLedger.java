package io.shoal.agent.exec;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tasks of this node may have a container the agent has not seen yet: those found on the
 * engine when the agent started, and those it created or tried to create (a create that timed
 * out may still have made one). A task in neither has none, so its controller need not ask the
 * engine: a filtered list before each of a new task's first two steps was two of its seven
 * engine calls, and a list is the dearest of them for dockerd.
 *
 * <p>Until {@link #found} is called (the start-up list), every task may have one.
 */
public final class ContainerLedger {
  private final Set<String> taskIds = ConcurrentHashMap.newKeySet();
  private volatile boolean listed;

  /** The tasks whose containers the engine held at start. */
  public void found(Collection<String> ids) {
    taskIds.addAll(ids);
    listed = true;
  }

  /** Whether the engine may hold a container of {@code taskId} that the agent does not know. */
  public boolean mayHave(String taskId) {
    return !listed || taskIds.contains(taskId);
  }

  /** A create of {@code taskId}'s container is about to be sent. */
  public void creating(String taskId) {
    taskIds.add(taskId);
  }

  /** {@code taskId}'s container is gone. */
  public void removed(String taskId) {
    taskIds.remove(taskId);
  }
}
