package io.shoal.agent.session;

import io.shoal.agent.exec.ContainerConfig;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.agent.exec.ContainerEngine;
import io.shoal.agent.exec.ContainerObservation;
import io.shoal.agent.exec.EngineInfo;
import io.shoal.common.registry.ImageReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine in memory where every container starts and runs; records what was removed. */
final class InMemoryEngine implements ContainerEngine {
  private final Map<String, ContainerObservation> containers = new ConcurrentHashMap<>();
  final List<String> removedTasks = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  @Override
  public EngineInfo info() {
    return new EngineInfo("linux", "x86_64", 2, 1L << 30, "in-memory", Map.of());
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    return containers.values().stream().map(c -> new ContainerSummary(c.id(), c.taskId())).toList();
  }

  @Override
  public Optional<ContainerObservation> inspect(String containerId) {
    return Optional.ofNullable(containers.get(containerId));
  }

  @Override
  public boolean hasImage(String reference) {
    return true;
  }

  @Override
  public void pull(ImageReference image) {}

  @Override
  public String create(ContainerConfig config) {
    String id = "c" + ids.incrementAndGet();
    containers.put(id, new ContainerObservation(id, config.labels().getOrDefault(ContainerConfigs.LABEL_TASK_ID, ""),
        ContainerObservation.State.CREATED, 0, "", List.of()));
    return id;
  }

  @Override
  public void start(String containerId) {
    containers.computeIfPresent(containerId, (id, c) -> new ContainerObservation(id, c.taskId(),
        ContainerObservation.State.RUNNING, 0, "", List.of()));
  }

  @Override
  public void stop(String containerId, Optional<Duration> grace) {
    containers.computeIfPresent(containerId, (id, c) -> new ContainerObservation(id, c.taskId(),
        ContainerObservation.State.EXITED, 143, "", List.of()));
  }

  @Override
  public void remove(String containerId) {
    ContainerObservation gone = containers.remove(containerId);
    if (gone != null) {
      removedTasks.add(gone.taskId());
    }
  }

  @Override
  public AutoCloseable watch(String nodeId, ContainerEventListener listener) {
    return () -> {};
  }

  @Override
  public void close() {}
}
