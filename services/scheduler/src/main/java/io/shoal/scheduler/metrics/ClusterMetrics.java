package io.shoal.scheduler.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as metrics, exported by the scheduler that leads and by no other process, so that
 * Prometheus never sums two copies: only the leader's loop calls {@link #observe}, and a loop
 * that ends calls {@link #forget}, after which the gauges report nothing.
 *
 * <pre>
 * shoal_cluster_tasks{service,state}                    tasks in etcd by state (history included)
 * shoal_cluster_service_replicas_desired{service}       replicas asked for (global: eligible nodes)
 * shoal_cluster_service_replicas_running{service}       tasks RUNNING and meant to be
 * shoal_cluster_tasks_pending{service,reason}           PENDING tasks by the reason's general part
 * shoal_cluster_nodes{state,availability}               nodes
 * shoal_task_create_to_running_seconds                  a task's creation to its first RUNNING report
 * shoal_task_failures_total{service}                    tasks seen FAILED or REJECTED (a restart
 *                                                       loop shows as a steady rate)
 * shoal_service_update_duration_seconds{result}         a rolling update's start to its end
 * shoal_scheduler_pass_duration_seconds                 one reconciliation pass, its writes included
 * shoal_scheduler_watch_lag_seconds                     a task's status change on its node to the
 *                                                       scheduler seeing it through its etcd watch
 * shoal_scheduler_leader                                1 on the scheduler exporting the cluster now
 *                                                       (it leads and made a pass), else 0: with
 *                                                       none, the series above are absent and no
 *                                                       alert that reads them can fire
 * </pre>
 */
public final class ClusterMetrics {
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service");
  private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> AVAILABILITY = AttributeKey.stringKey("availability");
  private static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");
  /** Seconds buckets from a fast local start to a slow pull. */
  private static final List<Double> CONVERGE_BUCKETS =
      List.of(0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0);
  private static final List<Double> FAST_BUCKETS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
  /** A lag beyond this is a clock apart, not a watch behind: not recorded. */
  private static final Duration MAX_LAG = Duration.ofHours(1);

  private final DoubleHistogram createToRunning;
  private final io.opentelemetry.api.metrics.LongCounter failures;
  private final DoubleHistogram updateDuration;
  private final DoubleHistogram passDuration;
  private final DoubleHistogram watchLag;
  private volatile ClusterCounts counts = ClusterCounts.NONE;
  private volatile boolean exporting;
  /** Tasks seen RUNNING and updates seen ended, so each is recorded once; the loop's thread only. */
  private Set<String> seenRunning;
  private Set<String> seenFailed;
  private Set<String> seenUpdates;

  public ClusterMetrics(Telemetry telemetry) {
    Meter meter = telemetry.meter("io.shoal.scheduler");
    meter.gaugeBuilder("shoal.cluster.tasks").ofLongs().setUnit("{task}")
        .setDescription("Tasks in etcd by service and state, finished ones kept as history included (the leading scheduler's view)")
        .buildWithCallback(m -> counts.tasks().forEach((k, n) ->
            m.record(n, Attributes.of(SERVICE, k.getKey(), STATE, k.getValue()))));
    meter.gaugeBuilder("shoal.cluster.service.replicas.desired").ofLongs().setUnit("{task}")
        .setDescription("Replicas each service asks for (a global service: one per eligible node)")
        .buildWithCallback(m -> counts.desired().forEach((s, n) -> m.record(n, Attributes.of(SERVICE, s))));
    meter.gaugeBuilder("shoal.cluster.service.replicas.running").ofLongs().setUnit("{task}")
        .setDescription("Tasks of each service RUNNING and meant to be")
        .buildWithCallback(m -> counts.running().forEach((s, n) -> m.record(n, Attributes.of(SERVICE, s))));
    meter.gaugeBuilder("shoal.cluster.tasks.pending").ofLongs().setUnit("{task}")
        .setDescription("PENDING tasks by service and the general part of the reason they wait")
        .buildWithCallback(m -> counts.pending().forEach((k, n) ->
            m.record(n, Attributes.of(SERVICE, k.getKey(), REASON, k.getValue()))));
    meter.gaugeBuilder("shoal.cluster.nodes").ofLongs().setUnit("{node}")
        .setDescription("Nodes by state (ready, down, …) and availability (active, pause, drain)")
        .buildWithCallback(m -> counts.nodes().forEach((k, n) ->
            m.record(n, Attributes.of(STATE, k.getKey(), AVAILABILITY, k.getValue()))));
    meter.gaugeBuilder("shoal.scheduler.leader").ofLongs().setUnit("1")
        .setDescription("1 on the scheduler that leads and exports the cluster's series, 0 on the others")
        .buildWithCallback(m -> m.record(exporting ? 1 : 0));
    createToRunning = meter.histogramBuilder("shoal.task.create_to_running").setUnit("s")
        .setDescription("From a task's creation by the scheduler to its first RUNNING report")
        .setExplicitBucketBoundariesAdvice(CONVERGE_BUCKETS).build();
    failures = meter.counterBuilder("shoal.task.failures").setUnit("{task}")
        .setDescription("Tasks the leading scheduler saw end FAILED or REJECTED, by service")
        .build();
    updateDuration = meter.histogramBuilder("shoal.service.update.duration").setUnit("s")
        .setDescription("A rolling update's start to its end, by result (completed, rollback_completed, paused)")
        .setExplicitBucketBoundariesAdvice(CONVERGE_BUCKETS).build();
    passDuration = meter.histogramBuilder("shoal.scheduler.pass.duration").setUnit("s")
        .setDescription("One reconciliation pass of the leading scheduler, its etcd writes included")
        .setExplicitBucketBoundariesAdvice(FAST_BUCKETS).build();
    watchLag = meter.histogramBuilder("shoal.scheduler.watch.lag").setUnit("s")
        .setDescription("From a task's status change on its node (its clock) to the scheduler seeing it through its etcd watch")
        .setExplicitBucketBoundariesAdvice(FAST_BUCKETS).build();
  }

  /** Metrics that go nowhere (the scheduler's tests). */
  public static ClusterMetrics none() {
    return new ClusterMetrics(Telemetry.noop());
  }

  /**
   * The leader's pass saw {@code services} and {@code tasks}: the gauges now report them, and
   * tasks newly RUNNING or failed and updates newly ended are recorded. What a new leader finds already
   * running or ended is not: it did not see it happen.
   */
  public void observe(Map<String, Service> services, Map<String, Task> tasks,
      Map<String, io.shoal.api.v1.Node> nodes) {
    counts = ClusterCounts.of(services, tasks, nodes);
    exporting = true;
    boolean first = seenRunning == null;
    Set<String> running = new HashSet<>();
    for (Task task : tasks.values()) {
      // Only a task seen RUNNING: its status time is then when it started (a pass that first sees
      // it already ended would read the end's time).
      if (task.getStatus().getState() != TaskState.TASK_STATE_RUNNING
          || !task.hasCreateTime() || !task.getStatus().hasTimestamp()) {
        continue;
      }
      running.add(task.getId());
      if (!first && !seenRunning.contains(task.getId())) {
        seconds(task.getCreateTime(), task.getStatus().getTimestamp()).ifPresent(createToRunning::record);
      }
    }
    seenRunning = running;
    Set<String> failed = new HashSet<>();
    for (Task task : tasks.values()) {
      TaskState state = task.getStatus().getState();
      if (state != TaskState.TASK_STATE_FAILED && state != TaskState.TASK_STATE_REJECTED) {
        continue;
      }
      failed.add(task.getId());
      Service service = services.get(task.getServiceId());
      if (!first && !seenFailed.contains(task.getId()) && service != null) {
        failures.add(1, Attributes.of(SERVICE, service.getSpec().getName()));
      }
    }
    seenFailed = failed;
    Set<String> ended = new HashSet<>();
    for (Service service : services.values()) {
      var status = service.getUpdateStatus();
      if (!status.hasCompletionTime() || !status.hasStartTime()) {
        continue;
      }
      String key = service.getId() + "@" + status.getStartTime().getSeconds() + "." + status.getStartTime().getNanos();
      ended.add(key);
      if (!first && !seenUpdates.contains(key)) {
        seconds(status.getStartTime(), status.getCompletionTime()).ifPresent(s -> updateDuration.record(s,
            Attributes.of(RESULT, status.getState().name().replace("UPDATE_STATE_", "").toLowerCase(java.util.Locale.ROOT))));
      }
    }
    seenUpdates = ended;
  }

  /** A pass took {@code nanos}, writes included. */
  public void passed(long nanos) {
    passDuration.record(nanos / 1e9);
  }

  /** The watch brought {@code task}'s new status at {@code now}. */
  public void statusSeen(Task task, Instant now) {
    if (!task.getStatus().hasTimestamp()) {
      return;
    }
    instant(task.getStatus().getTimestamp()).ifPresent(changed -> {
      Duration lag = Duration.between(changed, now);
      if (!lag.isNegative() && lag.compareTo(MAX_LAG) < 0) {
        watchLag.record(lag.toNanos() / 1e9);
      }
    });
  }

  /** This scheduler no longer leads: it reports nothing. */
  public void forget() {
    exporting = false;
    counts = ClusterCounts.NONE;
    seenRunning = null;
    seenFailed = null;
    seenUpdates = null;
  }

  private static java.util.Optional<Double> seconds(com.google.protobuf.Timestamp from, com.google.protobuf.Timestamp to) {
    java.util.Optional<Instant> start = instant(from);
    java.util.Optional<Instant> end = instant(to);
    if (start.isEmpty() || end.isEmpty()) {
      return java.util.Optional.empty();
    }
    Duration d = Duration.between(start.get(), end.get());
    return d.isNegative() ? java.util.Optional.empty() : java.util.Optional.of(d.toNanos() / 1e9);
  }

  /** A stored task may hold any time (PoisonedServiceIT); a metric must never fail the scheduler's pass. */
  private static java.util.Optional<Instant> instant(com.google.protobuf.Timestamp t) {
    return io.shoal.common.time.Timestamps.tryInstant(t);
  }
}
