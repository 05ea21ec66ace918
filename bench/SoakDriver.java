import com.google.protobuf.util.Durations;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateState;
import io.shoal.cli.client.ControlChannels;
import io.shoal.cli.client.ControlClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load of bench/soak.sh, through control's API in one warm JVM (the CLI's own client and
 * certificate handling): creates SOAK_SERVICES services of SOAK_TASKS replicas, waits until every
 * task runs, then for SOAK_MINUTES keeps SOAK_IN_FLIGHT rolling updates going (round-robin over the
 * services, each a new {@code SOAK_ROUND=k} in the env), then waits until every service has
 * converged to its last spec. Every wait is bounded. Prints, on stdout, one line per event the
 * report reads ({@code phase NAME EPOCH_MS}, {@code result KEY VALUE}, {@code note TEXT}) and
 * progress on stderr. Exit 0 when it ran to the end (whatever the figures), 1 when a phase
 * failed or ran out of time (the reason in a {@code result failed ...} line).
 *
 *   java -cp CLI_CLASSPATH bench/SoakDriver.java
 */
public final class SoakDriver {
  private static final String ROUND = "SOAK_ROUND=";
  private static final Duration POLL = Duration.ofSeconds(2);
  /** An update that has not completed after this long is counted stuck and no longer waited for. */
  private static final Duration UPDATE_BOUND = Duration.ofMinutes(5);

  private final Settings settings;
  private final ControlClient control;
  /** Service name to id, once created. */
  private final Map<String, String> ids = new LinkedHashMap<>();
  /** Service id to the update in flight on it. */
  private final Map<String, Update> inFlight = new HashMap<>();
  private int round;
  private int issued;
  private int completed;
  private int paused;
  private int stuck;
  private int refused;
  private final List<Long> updateMillis = new ArrayList<>();

  record Settings(int services, int tasks, double minutes, int parallel, int createWindow, String image,
      String prefix, Duration createBound, Duration convergeBound, long minFreeMib) {
    static Settings fromEnv(Map<String, String> env) {
      return new Settings(
          Integer.parseInt(env.getOrDefault("SOAK_SERVICES", "200")),
          Integer.parseInt(env.getOrDefault("SOAK_TASKS", "5")),
          Double.parseDouble(env.getOrDefault("SOAK_MINUTES", "10")),
          Integer.parseInt(env.getOrDefault("SOAK_IN_FLIGHT", "4")),
          Integer.parseInt(env.getOrDefault("SOAK_CREATE_WINDOW", "100")),
          required(env, "SOAK_IMAGE"),
          env.getOrDefault("SOAK_PREFIX", "soak-"),
          Duration.ofSeconds(Long.parseLong(env.getOrDefault("SOAK_CREATE_TIMEOUT", "1200"))),
          Duration.ofSeconds(Long.parseLong(env.getOrDefault("SOAK_CONVERGE_TIMEOUT", "600"))),
          Long.parseLong(env.getOrDefault("SOAK_MIN_FREE_MIB", "1536")));
    }

    private static String required(Map<String, String> env, String key) {
      String value = env.get(key);
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(key + " is not set: bench/soak.sh sets it to the lab's demo image");
      }
      return value;
    }
  }

  /** One rolling update asked for: the service's version it made, and when. */
  record Update(long version, long issuedMs) {}

  /** Why a phase could not go on. */
  static final class Stop extends Exception {
    Stop(String why) {
      super(why);
    }
  }

  SoakDriver(Settings settings, ControlClient control) {
    this.settings = settings;
    this.control = control;
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromEnv(System.getenv());
    int code;
    try (ControlChannels channels = new ControlChannels(System.getenv())) {
      ManagedChannel channel = channels.apply(System.getenv().getOrDefault("SHOAL_HOST", "127.0.0.1:7400"));
      code = new SoakDriver(settings, new ControlClient(channel, Duration.ofSeconds(30))).run();
      channel.shutdownNow();
    }
    System.exit(code);
  }

  int run() throws InterruptedException {
    try {
      create();
      update();
      converge();
      return 0;
    } catch (Stop e) {
      out("result failed " + e.getMessage());
      return 1;
    } finally {
      out("result updates_issued " + issued);
      out("result updates_completed " + completed);
      out("result updates_paused " + paused);
      out("result updates_stuck " + stuck);
      out("result updates_refused " + refused);
      out("result update_seconds_median " + percentile(0.5));
      out("result update_seconds_p99 " + percentile(0.99));
      out("result update_seconds_max " + percentile(1.0));
    }
  }

  // --- phase 1: create, at most createWindow tasks not yet running at a time ------------------

  private void create() throws Stop, InterruptedException {
    phase("create");
    long deadline = System.currentTimeMillis() + settings.createBound().toMillis();
    int next = 1;
    int target = settings.services() * settings.tasks();
    while (true) {
      Counts counts = counts();
      if (next > settings.services() && counts.running() == target) {
        break;
      }
      long free = memAvailableMib();
      if (next <= settings.services() && free < settings.minFreeMib()) {
        out("note memory: MemAvailable " + free + " MiB < SOAK_MIN_FREE_MIB " + settings.minFreeMib()
            + " after " + (next - 1) + " services; no more are created");
        out("result services_limited_by_memory " + (next - 1));
        target = (next - 1) * settings.tasks();
        next = settings.services() + 1;
        continue;
      }
      // Tasks of created services not yet RUNNING, listed or not yet made by the scheduler.
      int notRunning = ids.size() * settings.tasks() - counts.running();
      while (next <= settings.services() && notRunning + settings.tasks() <= Math.max(settings.createWindow(), settings.tasks())) {
        createService(next++);
        notRunning += settings.tasks();
      }
      progress("create: " + ids.size() + "/" + settings.services() + " services, " + counts.running() + "/"
          + target + " tasks running, MemAvailable " + free + " MiB");
      if (System.currentTimeMillis() > deadline) {
        throw new Stop("create: " + counts.running() + " of " + target + " tasks running after "
            + settings.createBound().toSeconds() + " s (SOAK_CREATE_TIMEOUT)");
      }
      Thread.sleep(POLL.toMillis());
    }
    out("result services " + ids.size());
    out("result tasks " + target);
    phase("running");
  }

  private void createService(int i) {
    String name = String.format("%s%03d", settings.prefix(), i);
    ServiceSpec spec = ServiceSpec.newBuilder()
        .setName(name)
        .setReplicated(ReplicatedService.newBuilder().setReplicas(settings.tasks()))
        .setContainer(ContainerSpec.newBuilder()
            .setImage(settings.image())
            // The demo image's entrypoint (demo-init) runs its arguments and forwards SIGTERM:
            // without a long-running command it exits at once and the task is COMPLETE.
            .addArgs("sleep").addArgs("86400")
            .addEnv(ROUND + "0")
            .setStopGracePeriod(Durations.fromSeconds(5)))
        .build();
    ids.put(name, control.createService(spec, false).getService().getId());
  }

  /** Tasks of the soak's services: RUNNING and meant to, and the others meant to run. */
  record Counts(int running, int waiting) {}

  private Counts counts() throws Stop {
    int running = 0;
    int waiting = 0;
    for (Task task : tasks()) {
      if (!ids.containsValue(task.getServiceId()) || task.getDesiredState() != TaskState.TASK_STATE_RUNNING) {
        continue;
      }
      if (task.getStatus().getState() == TaskState.TASK_STATE_RUNNING) {
        running++;
      } else {
        waiting++;
      }
    }
    return new Counts(running, waiting);
  }

  // --- phase 2: rolling updates, parallel at a time, round-robin ------------------------------

  private void update() throws Stop, InterruptedException {
    phase("updates");
    long end = System.currentTimeMillis() + (long) (settings.minutes() * 60_000);
    List<String> order = new ArrayList<>(ids.values());
    int cursor = 0;
    while (System.currentTimeMillis() < end) {
      checkMemory();
      settle(services());
      for (int tries = 0; inFlight.size() < settings.parallel() && tries < order.size(); tries++) {
        String id = order.get(cursor++ % order.size());
        if (!inFlight.containsKey(id)) {
          issue(id);
        }
      }
      progress("updates: " + issued + " issued, " + completed + " completed, " + inFlight.size()
          + " in flight, " + (end - System.currentTimeMillis()) / 1000 + " s left");
      Thread.sleep(POLL.toMillis());
    }
    phase("updates_stopped");
  }

  /** Asks for a new round on the service: its env's SOAK_ROUND changes, so every task is replaced. */
  private void issue(String id) {
    Service service = control.getService(id);
    ContainerSpec.Builder container = service.getSpec().getContainer().toBuilder().clearEnv();
    for (String e : service.getSpec().getContainer().getEnvList()) {
      if (!e.startsWith(ROUND)) {
        container.addEnv(e);
      }
    }
    container.addEnv(ROUND + (++round));
    ServiceSpec spec = service.getSpec().toBuilder().setContainer(container).build();
    try {
      Service updated = control.updateService(id, service.getVersion(), spec, true).getService();
      inFlight.put(id, new Update(updated.getVersion(), System.currentTimeMillis()));
      issued++;
    } catch (StatusRuntimeException e) {
      refused++;
      out("note update of " + service.getSpec().getName() + " refused: " + e.getStatus());
    }
  }

  /** Takes the updates that ended (completed, paused) or ran past their bound out of flight. */
  private void settle(Map<String, Service> services) {
    long now = System.currentTimeMillis();
    inFlight.entrySet().removeIf(entry -> {
      Service service = services.get(entry.getKey());
      Update update = entry.getValue();
      if (service == null) {
        return false;
      }
      UpdateState state = service.getVersion() == update.version()
          ? service.getUpdateStatus().getState() : UpdateState.UPDATE_STATE_UNSPECIFIED;
      if (state == UpdateState.UPDATE_STATE_COMPLETED) {
        completed++;
        updateMillis.add(now - update.issuedMs());
        return true;
      }
      if (state == UpdateState.UPDATE_STATE_PAUSED) {
        paused++;
        out("note update of " + service.getSpec().getName() + " paused: " + service.getUpdateStatus().getMessage());
        return true;
      }
      if (now - update.issuedMs() > UPDATE_BOUND.toMillis()) {
        stuck++;
        out("note update of " + service.getSpec().getName() + " not completed after " + UPDATE_BOUND.toSeconds()
            + " s (state " + service.getUpdateStatus().getState() + ")");
        return true;
      }
      return false;
    });
  }

  // --- phase 3: convergence -----------------------------------------------------------------

  private void converge() throws Stop, InterruptedException {
    long start = System.currentTimeMillis();
    long deadline = start + settings.convergeBound().toMillis();
    while (true) {
      Map<String, Service> services = services();
      settle(services);
      List<String> behind = behind(services);
      if (behind.isEmpty() && inFlight.isEmpty()) {
        break;
      }
      progress("converging: " + behind.size() + " services behind, " + inFlight.size() + " updates in flight"
          + (behind.isEmpty() ? "" : " (first: " + behind.get(0) + ")"));
      if (System.currentTimeMillis() > deadline) {
        out("result converged_services " + (services.size() - behind.size()) + "/" + services.size());
        behind.stream().limit(10).forEach(b -> out("note not converged: " + b));
        throw new Stop("converge: " + behind.size() + " services not converged " + settings.convergeBound().toSeconds()
            + " s after the updates stopped (SOAK_CONVERGE_TIMEOUT)");
      }
      Thread.sleep(POLL.toMillis());
    }
    out("result converged_services " + ids.size() + "/" + ids.size());
    out("result converge_seconds " + (System.currentTimeMillis() - start) / 1000.0);
    phase("converged");
    endStates();
  }

  /**
   * How the soak's ended tasks (kept as history) ended. A replaced task ends SHUTDOWN; COMPLETE
   * means its container exited by itself (code 0), FAILED with an error: neither should happen.
   */
  private void endStates() throws Stop {
    Map<TaskState, Integer> ended = new TreeMap<>();
    int shown = 0;
    for (Task task : tasks()) {
      if (ids.containsValue(task.getServiceId()) && task.getDesiredState() != TaskState.TASK_STATE_RUNNING) {
        ended.merge(task.getStatus().getState(), 1, Integer::sum);
        if ((task.getStatus().getState() == TaskState.TASK_STATE_COMPLETE
            || task.getStatus().getState() == TaskState.TASK_STATE_FAILED) && shown++ < 20) {
          out("note task " + task.getId() + " of " + task.getServiceName() + " ended " + task.getStatus().getState()
              + ": " + task.getStatus().getMessage() + " " + task.getStatus().getErr());
        }
      }
    }
    out("result ended_tasks_in_history " + ended);
  }

  /**
   * The services that have not converged, each with why: not exactly {@code tasks} tasks RUNNING
   * on the last spec (and none other meant to run), or their last update not COMPLETED.
   */
  private List<String> behind(Map<String, Service> services) throws Stop {
    Map<String, List<Task>> live = new HashMap<>();
    for (Task task : tasks()) {
      if (task.getDesiredState() == TaskState.TASK_STATE_RUNNING) {
        live.computeIfAbsent(task.getServiceId(), k -> new ArrayList<>()).add(task);
      }
    }
    List<String> behind = new ArrayList<>();
    for (Service service : services.values()) {
      List<Task> tasks = live.getOrDefault(service.getId(), List.of());
      long current = tasks.stream().filter(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING
          && t.getSpec().getContainer().equals(service.getSpec().getContainer())
          && t.getSpec().getForceUpdate() == service.getSpec().getForceUpdate()).count();
      UpdateState state = service.getUpdateStatus().getState();
      boolean updated = state == UpdateState.UPDATE_STATE_COMPLETED || state == UpdateState.UPDATE_STATE_UNSPECIFIED
          && !service.hasPreviousSpec();
      if (current != settings.tasks() || tasks.size() != settings.tasks() || !updated) {
        behind.add(service.getSpec().getName() + " " + current + "/" + settings.tasks() + " on its last spec, "
            + tasks.size() + " meant to run, update " + state);
      }
    }
    return behind;
  }

  // --- reads --------------------------------------------------------------------------------

  /** The soak's services by id. */
  private Map<String, Service> services() throws Stop {
    try {
      Map<String, Service> services = new TreeMap<>();
      for (Service service : control.listServices()) {
        if (ids.containsValue(service.getId())) {
          services.put(service.getId(), service);
        }
      }
      return services;
    } catch (StatusRuntimeException e) {
      throw new Stop("listing services at control failed: " + e.getStatus());
    }
  }

  private List<Task> tasks() throws Stop {
    try {
      return control.listTasks("");
    } catch (StatusRuntimeException e) {
      throw new Stop("listing tasks at control failed: " + e.getStatus());
    }
  }

  private void checkMemory() throws Stop {
    long free = memAvailableMib();
    if (free < settings.minFreeMib() / 2) {
      throw new Stop("memory: MemAvailable " + free + " MiB, under half of SOAK_MIN_FREE_MIB " + settings.minFreeMib());
    }
  }

  /** MemAvailable from /proc/meminfo, in MiB. */
  static long memAvailableMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("/proc/meminfo has no MemAvailable line");
  }

  private String percentile(double q) {
    if (updateMillis.isEmpty()) {
      return "-";
    }
    List<Long> sorted = updateMillis.stream().sorted().toList();
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return String.format("%.1f", sorted.get(Math.max(0, index)) / 1000.0);
  }

  private static void phase(String name) {
    out("phase " + name + " " + System.currentTimeMillis());
  }

  private static void out(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static long lastProgress;

  /** A progress line on stderr, at most one every 10 s. */
  private static void progress(String line) {
    long now = System.currentTimeMillis();
    if (now - lastProgress >= 10_000) {
      lastProgress = now;
      System.err.printf("%tT soak %s%n", now, line);
    }
  }
}
