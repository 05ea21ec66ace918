package io.shoal.agent.exec;

import io.shoal.common.registry.ImageReference;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container engine, as far as the agent needs it. One implementation talks to dockerd
 * ({@code io.shoal.agent.docker}); nothing else in the agent knows the engine's API.
 *
 * <p>Every method blocks until the engine answers and may be called from any thread. Failures
 * are {@link EngineException}s carrying the engine's message.
 */
public interface ContainerEngine extends AutoCloseable {

  /** The engine's host: OS, architecture, CPUs, memory, version and engine labels. */
  EngineInfo info();

  /** The ids and task ids of all containers, running or not, carrying all of {@code labels}. */
  List<ContainerSummary> listContainers(Map<String, String> labels);

  /** The container's current state; empty when it does not exist (any more). */
  Optional<ContainerObservation> inspect(String containerId);

  /** Whether the engine has {@code reference} (as {@link ImageReference#forEngine()}) locally. */
  boolean hasImage(String reference);

  /** Pulls the image (by digest when pinned); returns when it is local, fails with the reason. */
  void pull(ImageReference image);

  /**
   * Pulls the image logging in with {@code auth} (never logged, never kept); without auth it is
   * {@link #pull(ImageReference)}.
   */
  default void pull(ImageReference image, java.util.Optional<io.shoal.api.v1.RegistryAuth> auth) {
    pull(image);
  }

  /** Creates (does not start) the container; returns its id. */
  String create(ContainerConfig config);

  /** Starts a created container; a running one is left alone. */
  void start(String containerId);

  /**
   * Sends SIGTERM, waits up to {@code grace} for the process to exit, then SIGKILLs it. An
   * absent grace uses the container's own stop timeout. A stopped or missing container is fine.
   */
  void stop(String containerId, Optional<Duration> grace);

  /** Removes the container (killing it if it still runs); a missing container is fine. */
  void remove(String containerId);

  /**
   * Reports, until closed, every container of {@code nodeId} (by its node label) that exits or
   * disappears. The implementation reconnects by itself when its event stream breaks, and calls
   * {@link ContainerEventListener#resynced()} after each (re)connection so the caller can
   * re-inspect what it may have missed.
   */
  AutoCloseable watch(String nodeId, ContainerEventListener listener);

  @Override
  void close();

  /** A container found by {@link #listContainers}. */
  record ContainerSummary(String id, String taskId) {}

  /** Callbacks of {@link #watch}; called on the engine's event thread, so keep them short. */
  interface ContainerEventListener {
    /** The container of {@code taskId} exited, died or was removed. */
    void containerChanged(String containerId, String taskId);

    /** The event stream (re)connected: events may have been missed before this. */
    void resynced();
  }
}
