package io.shoal.agent.exec;

import io.shoal.api.v1.Task;
import io.shoal.common.registry.ImageReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskController} over any {@link ContainerEngine}: finds the task's container by its
 * labels (so a restarted agent finds what it created before), pulls only when the engine lacks
 * the image, and creates the container from {@link ContainerConfigs#forTask}. A new task costs
 * the engine five calls (list, image inspect, create, start, inspect): a search already answered
 * and a container just created are not asked about again.
 *
 * <p>Not thread-safe: one task runner uses it at a time.
 */
public final class EngineTaskController implements TaskController {
  private static final Logger log = LoggerFactory.getLogger(EngineTaskController.class);

  private final ContainerEngine engine;
  private final String nodeId;
  private final String nodeAddr;
  private final String nodeHostname;
  private final Supplier<Task> task;
  private final PullCredentials credentials;
  private final TaskNetworks networks;
  private final TaskFiles files;
  private final TaskOperations spans;
  /** The container's id once known; null until found or created, and after removal. */
  private String containerId;
  /**
   * The engine held no container of this task at the last search, and this controller has not
   * tried to create one since: only it creates them, so prepare() need not search again.
   */
  private boolean knownAbsent;
  /** The container prepare() just created, not yet started: start() need not ask what it is. */
  private ContainerObservation justCreated;

  /** {@code task} gives the task's latest version (its spec never changes; its desired state may). */
  public EngineTaskController(ContainerEngine engine, String nodeId, String nodeAddr, Supplier<Task> task) {
    this(engine, nodeId, nodeAddr, task, PullCredentials.NONE, TaskNetworks.NONE);
  }

  /**
   * As above; a pull logs in with what {@code credentials} gives for the task, and the container
   * joins the networks {@code networks} makes ready.
   */
  public EngineTaskController(ContainerEngine engine, String nodeId, String nodeAddr, Supplier<Task> task,
      PullCredentials credentials, TaskNetworks networks) {
    this(engine, nodeId, nodeAddr, task, credentials, networks, TaskFiles.NONE);
  }

  /** As above; the container gets the files of its secrets and configs from {@code files}. */
  public EngineTaskController(ContainerEngine engine, String nodeId, String nodeAddr, Supplier<Task> task,
      PullCredentials credentials, TaskNetworks networks, TaskFiles files) {
    this(engine, nodeId, "", nodeAddr, task, credentials, networks, files);
  }

  /** As above, on the node named {@code nodeHostname} (a --hostname template's {{.Node.Hostname}}). */
  public EngineTaskController(ContainerEngine engine, String nodeId, String nodeHostname, String nodeAddr,
      Supplier<Task> task, PullCredentials credentials, TaskNetworks networks, TaskFiles files) {
    this(engine, nodeId, nodeHostname, nodeAddr, task, credentials, networks, files, TaskOperations.NONE);
  }

  /** As above, its engine calls counted and spans of the task's trace ({@link TaskOperations}). */
  public EngineTaskController(ContainerEngine engine, String nodeId, String nodeHostname, String nodeAddr,
      Supplier<Task> task, PullCredentials credentials, TaskNetworks networks, TaskFiles files, TaskOperations spans) {
    this.spans = spans;
    this.nodeHostname = nodeHostname;
    this.files = files;
    this.credentials = credentials;
    this.networks = networks;
    this.engine = engine;
    this.nodeId = nodeId;
    this.nodeAddr = nodeAddr;
    this.task = task;
  }

  @Override
  public Optional<ContainerObservation> inspect() {
    if (justCreated != null) {
      ContainerObservation created = justCreated;
      justCreated = null;
      return Optional.of(created);
    }
    if (containerId == null) {
      containerId = find().orElse(null);
      knownAbsent = containerId == null;
      if (containerId == null) {
        return Optional.empty();
      }
    }
    Optional<ContainerObservation> found = engine.inspect(containerId);
    if (found.isEmpty()) {
      containerId = null;
    }
    return found;
  }

  @Override
  public void prepare() {
    if (!(containerId == null && knownAbsent) && inspect().isPresent()) {
      return;
    }
    Task t = task.get();
    TaskNetworks.Joining joining = networks.prepare(t);
    ContainerConfig config = ContainerConfigs.forTask(t, nodeId, nodeHostname, nodeAddr, joining, List.of());
    String image = config.image().forEngine();
    if (engine.hasImage(image)) {
      log.debug("task {}: image {} is present, no pull", t.getId(), image);
    } else {
      PullCredentials.Lookup login = credentials.forTask(t);
      log.info("task {}: pulling {}{}", t.getId(), config.image(),
          login.auth().isPresent() ? " with the service's registry credentials" : "");
      try {
        ImageReference reference = config.image();
        spans.around("pull", "pull " + image, t, () -> engine.pull(reference, login.auth()));
      } catch (EngineException e) {
        if (login.problem().isEmpty()) {
          throw e;
        }
        throw new EngineException(e.getMessage() + " (no registry credentials: " + login.problem() + ")", e);
      }
    }
    // Written last, so they are in memory no longer than needed; a task whose files cannot be
    // written is REJECTED, never run without them.
    List<ContainerConfig.FileMount> mounts = files.prepare(t);
    if (!mounts.isEmpty()) {
      config = ContainerConfigs.forTask(t, nodeId, nodeHostname, nodeAddr, joining, mounts);
    }
    // From here a create may have reached the engine, even if it fails: search again next time.
    knownAbsent = false;
    ContainerConfig creating = config;
    containerId = spans.around("create", "create container", t, () -> engine.create(creating));
    justCreated = new ContainerObservation(containerId, t.getId(), ContainerObservation.State.CREATED, 0, "", List.of());
  }

  @Override
  public void start() {
    justCreated = null;
    if (containerId == null && inspect().isEmpty()) {
      throw new EngineException("task: no container to start");
    }
    spans.around("start", "start container", task.get(), () -> engine.start(containerId));
    networks.started(task.get(), containerId);
  }

  @Override
  public void shutdownAndRemove() {
    if (containerId == null && inspect().isEmpty()) {
      // Files written for a container that was never created.
      files.release(task.get().getId());
      return;
    }
    justCreated = null;
    Task t = task.get();
    spans.around("stop", "stop container", t,
        () -> engine.stop(containerId, Optional.of(ContainerConfigs.stopGracePeriod(t.getSpec().getContainer()))));
    spans.around("remove", "remove container", t, () -> engine.remove(containerId));
    containerId = null;
    files.release(task.get().getId());
  }

  private Optional<String> find() {
    List<ContainerEngine.ContainerSummary> found = engine.listContainers(Map.of(
        ContainerConfigs.LABEL_NODE_ID, nodeId,
        ContainerConfigs.LABEL_TASK_ID, task.get().getId()));
    return found.stream().map(ContainerEngine.ContainerSummary::id).findFirst();
  }
}
