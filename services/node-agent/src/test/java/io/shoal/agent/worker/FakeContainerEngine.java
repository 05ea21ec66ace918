package io.shoal.agent.worker;

import io.shoal.agent.exec.ContainerConfig;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.agent.exec.ContainerEngine;
import io.shoal.agent.exec.ContainerObservation;
import io.shoal.agent.exec.EngineException;
import io.shoal.agent.exec.EngineInfo;
import io.shoal.common.registry.ImageReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine in memory: containers are records, images a set; events only when a test says so. */
final class FakeContainerEngine implements ContainerEngine {
  private final Map<String, Container> containers = new LinkedHashMap<>();
  final Set<String> images = ConcurrentHashMap.newKeySet();
  final List<String> pulls = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private ContainerEventListener listener;
  /** Engine calls by name: list (one task's), sweep (the node's), inspect, hasImage, create, start. */
  final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Container(String id, Map<String, String> labels, ContainerObservation.State state, int exitCode) {}

  @Override
  public EngineInfo info() {
    return new EngineInfo("linux", "x86_64", 2, 1L << 30, "fake", Map.of());
  }

  @Override
  public synchronized List<ContainerSummary> listContainers(Map<String, String> labels) {
    calls.add(labels.containsKey(ContainerConfigs.LABEL_TASK_ID) ? "list" : "sweep");
    List<ContainerSummary> found = new ArrayList<>();
    for (Container c : containers.values()) {
      if (c.labels().entrySet().containsAll(labels.entrySet())) {
        found.add(new ContainerSummary(c.id(), c.labels().getOrDefault(ContainerConfigs.LABEL_TASK_ID, "")));
      }
    }
    return found;
  }

  @Override
  public synchronized Optional<ContainerObservation> inspect(String containerId) {
    calls.add("inspect");
    Container c = containers.get(containerId);
    return c == null ? Optional.empty() : Optional.of(new ContainerObservation(c.id(),
        c.labels().getOrDefault(ContainerConfigs.LABEL_TASK_ID, ""), c.state(), c.exitCode(), "", List.of()));
  }

  @Override
  public boolean hasImage(String reference) {
    calls.add("hasImage");
    return images.contains(reference);
  }

  /** Pulls wait here until it opens (open unless a test closes it). */
  volatile CountDownLatch pullGate = new CountDownLatch(0);
  final AtomicInteger pullsWaiting = new AtomicInteger();

  @Override
  public void pull(ImageReference image) {
    pullsWaiting.incrementAndGet();
    try {
      pullGate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("pull interrupted");
    } finally {
      pullsWaiting.decrementAndGet();
    }
    pulled(image);
  }

  private synchronized void pulled(ImageReference image) {
    pulls.add(image.forEngine());
    if (image.familiarName().contains("missing")) {
      throw new EngineException("manifest unknown");
    }
    images.add(image.forEngine());
  }

  @Override
  public synchronized String create(ContainerConfig config) {
    calls.add("create");
    String id = "c" + ids.incrementAndGet();
    containers.put(id, new Container(id, config.labels(), ContainerObservation.State.CREATED, 0));
    return id;
  }

  /** A container made by someone else (a previous agent, or by hand). */
  synchronized String add(Map<String, String> labels, ContainerObservation.State state) {
    String id = "c" + ids.incrementAndGet();
    containers.put(id, new Container(id, labels, state, 0));
    return id;
  }

  @Override
  public synchronized void start(String containerId) {
    calls.add("start");
    Container c = containers.get(containerId);
    containers.put(containerId, new Container(c.id(), c.labels(), ContainerObservation.State.RUNNING, 0));
  }

  /** The container's process ends; no event is sent (call {@link #resync()} or {@link #event}). */
  synchronized void exit(String containerId, int exitCode) {
    Container c = containers.get(containerId);
    containers.put(containerId, new Container(c.id(), c.labels(), ContainerObservation.State.EXITED, exitCode));
  }

  @Override
  public synchronized void stop(String containerId, Optional<Duration> grace) {
    Container c = containers.get(containerId);
    if (c != null) {
      containers.put(containerId, new Container(c.id(), c.labels(), ContainerObservation.State.EXITED, 143));
    }
  }

  @Override
  public synchronized void remove(String containerId) {
    containers.remove(containerId);
  }

  synchronized boolean exists(String containerId) {
    return containers.containsKey(containerId);
  }

  synchronized int count() {
    return containers.size();
  }

  @Override
  public synchronized AutoCloseable watch(String nodeId, ContainerEventListener listener) {
    this.listener = listener;
    return () -> { };
  }

  /** As if the event stream reconnected. */
  void resync() {
    listener.resynced();
  }

  void event(String containerId, String taskId) {
    listener.containerChanged(containerId, taskId);
  }

  @Override
  public void close() {}
}
