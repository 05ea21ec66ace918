package io.shoal.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import io.shoal.agent.exec.ContainerConfig;
import io.shoal.agent.exec.ContainerConfigs;
import io.shoal.agent.exec.ContainerEngine;
import io.shoal.agent.exec.ContainerObservation;
import io.shoal.agent.exec.EngineException;
import io.shoal.agent.exec.EngineInfo;
import io.shoal.common.registry.ImageReference;
import io.shoal.common.backoff.Backoff;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerEngine} on dockerd's Engine API (docker-java, API 1.41). */
@Singleton
public final class DockerEngine implements ContainerEngine {
  private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
  private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final DockerClient docker;
  private final DockerTimeouts timeouts;
  private final TimeoutCounter timeoutCounter;

  /** Over a client from {@link DockerModule#connect}, whose requests carry {@code timeouts}. */
  @Inject
  public DockerEngine(DockerClient docker, DockerTimeouts timeouts, TimeoutCounter timeoutCounter) {
    this.docker = docker;
    this.timeouts = timeouts;
    this.timeoutCounter = timeoutCounter;
  }

  @Override
  public EngineInfo info() {
    Info info = call("docker info", () -> docker.infoCmd().exec());
    Map<String, String> labels = new LinkedHashMap<>();
    if (info.getLabels() != null) {
      for (String label : info.getLabels()) {
        int eq = label.indexOf('=');
        labels.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
      }
    }
    return new EngineInfo(
        orEmpty(info.getOsType()),
        orEmpty(info.getArchitecture()),
        info.getNCPU() == null ? 0 : info.getNCPU(),
        info.getMemTotal() == null ? 0 : info.getMemTotal(),
        orEmpty(info.getServerVersion()),
        labels);
  }

  @Override
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    List<Container> containers = call("list containers",
        () -> docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec());
    List<ContainerSummary> summaries = new ArrayList<>();
    for (Container c : containers) {
      Map<String, String> l = c.getLabels() == null ? Map.of() : c.getLabels();
      summaries.add(new ContainerSummary(c.getId(), l.getOrDefault(ContainerConfigs.LABEL_TASK_ID, "")));
    }
    return summaries;
  }

  @Override
  public Optional<ContainerObservation> inspect(String containerId) {
    InspectContainerResponse response;
    try {
      response = docker.inspectContainerCmd(containerId).exec();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw failure("inspect container " + containerId, e);
    }
    return Optional.of(observation(response));
  }

  static ContainerObservation observation(InspectContainerResponse response) {
    InspectContainerResponse.ContainerState s = response.getState();
    ContainerObservation.State state;
    if (Boolean.TRUE.equals(s.getRunning()) || Boolean.TRUE.equals(s.getPaused())
        || Boolean.TRUE.equals(s.getRestarting())) {
      state = ContainerObservation.State.RUNNING;
    } else if ("created".equals(s.getStatus())) {
      state = ContainerObservation.State.CREATED;
    } else {
      state = ContainerObservation.State.EXITED;
    }
    List<ContainerObservation.BoundPort> ports = new ArrayList<>();
    if (response.getNetworkSettings() != null && response.getNetworkSettings().getPorts() != null) {
      for (Map.Entry<ExposedPort, Ports.Binding[]> e
          : response.getNetworkSettings().getPorts().getBindings().entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        ContainerConfig.Protocol protocol = e.getKey().getProtocol() == InternetProtocol.UDP
            ? ContainerConfig.Protocol.UDP : ContainerConfig.Protocol.TCP;
        for (Ports.Binding b : e.getValue()) {
          if (b.getHostPortSpec() != null && b.getHostPortSpec().matches("\\d+")) {
            ports.add(new ContainerObservation.BoundPort(protocol, e.getKey().getPort(),
                orEmpty(b.getHostIp()), Integer.parseInt(b.getHostPortSpec())));
          }
        }
      }
    }
    Map<String, String> labels = response.getConfig() == null || response.getConfig().getLabels() == null
        ? Map.of() : response.getConfig().getLabels();
    Long exit = s.getExitCodeLong();
    return new ContainerObservation(
        response.getId(),
        labels.getOrDefault(ContainerConfigs.LABEL_TASK_ID, ""),
        state,
        exit == null ? 0 : exit.intValue(),
        orEmpty(s.getError()),
        ports,
        health(s.getHealth()),
        lastCheckOutput(s.getHealth()),
        startedAt(s.getStartedAt()));
  }

  /** Docker's State.StartedAt (RFC 3339 with nanoseconds); its zero time means never started. */
  static Optional<java.time.Instant> startedAt(String startedAt) {
    if (startedAt == null || startedAt.isEmpty() || startedAt.startsWith("0001-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(startedAt).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      log.warn("container start time {} is not RFC 3339; the task's start time is the time it is seen", startedAt);
      return Optional.empty();
    }
  }

  private static ContainerObservation.Health health(HealthState health) {
    if (health == null || health.getStatus() == null) {
      return ContainerObservation.Health.NONE;
    }
    return switch (health.getStatus()) {
      case "starting" -> ContainerObservation.Health.STARTING;
      case "healthy" -> ContainerObservation.Health.HEALTHY;
      case "unhealthy" -> ContainerObservation.Health.UNHEALTHY;
      default -> ContainerObservation.Health.NONE;
    };
  }

  /** The last probe's output, at most 200 characters: enough for a task's error line. */
  private static String lastCheckOutput(HealthState health) {
    if (health == null || health.getLog() == null || health.getLog().isEmpty()) {
      return "";
    }
    String output = orEmpty(health.getLog().get(health.getLog().size() - 1).getOutput()).strip();
    return output.length() > 200 ? output.substring(0, 200) + "…" : output;
  }

  @Override
  public boolean hasImage(String reference) {
    try {
      docker.inspectImageCmd(reference).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw failure("inspect image " + reference, e);
    }
  }

  @Override
  public void pull(ImageReference image) {
    pull(image, Optional.empty());
  }

  @Override
  public void pull(ImageReference image, Optional<io.shoal.api.v1.RegistryAuth> auth) {
    try {
      var cmd = docker.pullImageCmd(image.familiarName()).withTag(image.pullTag());
      auth.ifPresent(a -> cmd.withAuthConfig(new com.github.dockerjava.api.model.AuthConfig()
          .withRegistryAddress(a.getServerAddress()).withUsername(a.getUsername()).withPassword(a.getPassword())));
      PullCallback pull = cmd.exec(new PullCallback());
      // The client's deadline ends the pull at timeouts.pull(); this wait is the backstop for a
      // tcp:// engine, whose socket an interrupt does not close (closing the callback does).
      if (!pull.awaitCompletion(timeouts.pull().plus(timeouts.call()).toMillis(), TimeUnit.MILLISECONDS)) {
        pull.close();
        timeoutCounter.add("pull");
        throw new EngineException("pull " + image + ": dockerd did not finish the pull within "
            + DockerTimeouts.format(timeouts.pull()) + " (--pull-timeout)");
      }
      if (pull.error != null) {
        throw pull.error;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("pull of " + image + " interrupted", e);
    } catch (IOException e) {
      throw new EngineException("pull " + image + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw failure("pull " + image, e);
    }
  }

  @Override
  public String create(ContainerConfig config) {
    List<ExposedPort> exposed = new ArrayList<>();
    Ports bindings = new Ports();
    for (ContainerConfig.PortPublication p : config.ports()) {
      ExposedPort port = p.protocol() == ContainerConfig.Protocol.UDP
          ? ExposedPort.udp(p.targetPort()) : ExposedPort.tcp(p.targetPort());
      if (!exposed.contains(port)) {
        exposed.add(port);
      }
      bindings.bind(port, p.hostPort() == 0
          ? Ports.Binding.bindIp(p.hostIp())
          : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
    }
    HostConfig host = HostConfig.newHostConfig()
        .withInit(config.init())
        .withRestartPolicy(RestartPolicy.noRestart())
        .withPortBindings(bindings);
    if (config.nanoCpus() > 0) {
      host.withNanoCPUs(config.nanoCpus());
    }
    if (config.memoryBytes() > 0) {
      host.withMemory(config.memoryBytes());
    }
    CreateContainerCmd cmd = docker.createContainerCmd(config.image().forEngine())
        .withName(config.name())
        .withLabels(config.labels())
        .withEnv(config.env())
        .withExposedPorts(exposed)
        .withStopTimeout(seconds(config.stopGracePeriod()))
        .withHostConfig(host);
    if (!config.cmd().isEmpty()) {
      cmd.withCmd(config.cmd());
    }
    if (!config.workdir().isEmpty()) {
      cmd.withWorkingDir(config.workdir());
    }
    if (!config.user().isEmpty()) {
      cmd.withUser(config.user());
    }
    if (!config.dns().isEmpty()) {
      host.withDns(config.dns());
    }
    if (!config.files().isEmpty()) {
      host.withMounts(config.files().stream().map(f -> new Mount().withType(MountType.BIND)
          .withSource(f.source()).withTarget(f.target()).withReadOnly(true)).toList());
    }
    DockerContainerOptions.apply(config.options(), cmd, host);
    List<ContainerConfig.NetworkEndpoint> networks = config.networks();
    if (!networks.isEmpty()) {
      host.withNetworkMode(networks.get(0).network());
      cmd.withIpv4Address(networks.get(0).ipv4()).withMacAddress(networks.get(0).mac());
    }
    String id = call("create container " + config.name(), () -> cmd.exec().getId());
    // The engine takes one network at create; the others are joined before the start.
    for (ContainerConfig.NetworkEndpoint network : networks.subList(Math.min(1, networks.size()), networks.size())) {
      call("connect container " + config.name() + " to network " + network.network(),
          () -> docker.connectToNetworkCmd()
              .withContainerId(id)
              .withNetworkId(network.network())
              .withContainerNetwork(new ContainerNetwork()
                  .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(network.ipv4())))
              .exec());
    }
    return id;
  }

  @Override
  public void start(String containerId) {
    try {
      docker.startContainerCmd(containerId).exec();
    } catch (NotModifiedException e) {
      log.debug("container {} already running", containerId);
    } catch (RuntimeException e) {
      throw failure("start container", e);
    }
  }

  @Override
  public void stop(String containerId, Optional<Duration> grace) {
    try {
      var cmd = docker.stopContainerCmd(containerId);
      grace.ifPresent(g -> cmd.withTimeout(seconds(g)));
      cmd.exec();
    } catch (NotModifiedException | NotFoundException e) {
      log.debug("container {} already stopped or gone", containerId);
    } catch (RuntimeException e) {
      throw failure("stop container " + containerId, e);
    }
  }

  @Override
  public void remove(String containerId) {
    try {
      docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      log.debug("container {} already removed", containerId);
    } catch (ConflictException e) {
      // "removal of container … is already in progress": another caller is removing it.
      log.debug("container {}: {}", containerId, engineMessage(e));
    } catch (RuntimeException e) {
      throw failure("remove container " + containerId, e);
    }
  }

  @Override
  public AutoCloseable watch(String nodeId, ContainerEventListener listener) {
    EventWatch watch = new EventWatch(nodeId, listener);
    watch.connect();
    return watch;
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (IOException e) {
      log.warn("closing the docker client: {}", e.toString());
    }
  }

  /** Whole seconds for the Engine API, rounded up so a short grace period is never zero. */
  static int seconds(Duration d) {
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return (int) Math.min(Integer.MAX_VALUE, s);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static <T> T call(String what, Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  private static EngineException failure(String what, RuntimeException e) {
    DockerTimeoutException timeout = timeoutIn(e);
    if (timeout != null) {
      return new EngineException(what + ": " + timeout.getMessage(), e);
    }
    if (e instanceof EngineException ee) {
      return ee;
    }
    String message = e instanceof DockerException de ? engineMessage(de) : String.valueOf(e.getMessage());
    return new EngineException(what + ": " + message, e);
  }

  /** The deadline that cut {@code e} short, if one did (docker-java wraps it in its own exceptions). */
  private static DockerTimeoutException timeoutIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DockerTimeoutException timeout) {
        return timeout;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** The engine's own words: the {@code message} of its JSON error body, when there is one. */
  static String engineMessage(DockerException e) {
    String raw = String.valueOf(e.getMessage());
    Matcher m = JSON_MESSAGE.matcher(raw);
    if (m.find()) {
      return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return raw.strip();
  }

  /**
   * Collects a pull's outcome without docker-java's default error logging: a failed pull is an
   * expected outcome (the task is rejected with the engine's reason), not an agent error.
   */
  private static final class PullCallback extends ResultCallback.Adapter<PullResponseItem> {
    private volatile RuntimeException error;

    @Override
    public void onNext(PullResponseItem item) {
      if (item.getErrorDetail() != null || item.getError() != null) {
        String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
            ? item.getErrorDetail().getMessage() : item.getError();
        error = new EngineException(message);
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t instanceof RuntimeException re ? re : new EngineException(String.valueOf(t.getMessage()), t);
      try {
        close();
      } catch (IOException e) {
        log.debug("closing a failed pull: {}", e.toString());
      }
    }
  }

  /**
   * The node's container events (die, destroy, health_status), reconnected with a capped, jittered backoff
   * whenever the stream breaks; each (re)connection is announced as {@code resynced()}.
   */
  private final class EventWatch implements AutoCloseable {
    private final String nodeId;
    private final ContainerEventListener listener;
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "docker-events-reconnect");
      t.setDaemon(true);
      return t;
    });
    private volatile boolean closed;
    private volatile ResultCallback.Adapter<Event> stream;
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

    EventWatch(String nodeId, ContainerEventListener listener) {
      this.nodeId = nodeId;
      this.listener = listener;
    }

    void connect() {
      if (closed) {
        return;
      }
      ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
        @Override
        public void onStart(java.io.Closeable closeable) {
          super.onStart(closeable);
          backoff.reset();
          listener.resynced();
        }

        @Override
        public void onNext(Event event) {
          Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
              ? Map.of() : event.getActor().getAttributes();
          String taskId = attributes.getOrDefault(ContainerConfigs.LABEL_TASK_ID, "");
          String id = event.getId() != null ? event.getId() : event.getActor() == null ? "" : event.getActor().getId();
          log.debug("container event {} of {} (task {})", event.getAction(), id, taskId);
          if (!taskId.isEmpty()) {
            listener.containerChanged(id, taskId);
          }
        }

        @Override
        public void onError(Throwable t) {
          if (!closed) {
            log.warn("docker event stream failed ({}); reconnecting", t.toString());
            scheduleReconnect();
          }
        }

        @Override
        public void onComplete() {
          if (!closed) {
            log.info("docker event stream ended; reconnecting");
            scheduleReconnect();
          }
        }
      };
      stream = callback;
      try {
        docker.eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            // health_status: a task with a healthcheck turns RUNNING (or FAILED) on its verdict.
            .withEventFilter("die", "destroy", "health_status")
            .withLabelFilter(Map.of(ContainerConfigs.LABEL_NODE_ID, nodeId))
            .exec(callback);
      } catch (RuntimeException e) {
        log.warn("cannot watch docker events ({}); retrying", e.toString());
        scheduleReconnect();
      }
    }

    private void scheduleReconnect() {
      if (closed) {
        return;
      }
      long delay = backoff.next().toMillis();
      try {
        reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("docker event watch closed; not reconnecting");
      }
    }

    @Override
    public void close() {
      closed = true;
      reconnects.shutdownNow();
      ResultCallback.Adapter<Event> s = stream;
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          log.debug("closing the docker event stream: {}", e.toString());
        }
      }
    }
  }
}
