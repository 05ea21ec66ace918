package io.shoal.dispatcher;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the dispatcher refused, set aside or cut off. In Prometheus:
 *
 * <pre>
 * shoal_dispatcher_status_rejected_total{field}     reports refused on arrival (field at fault)
 * shoal_dispatcher_status_set_aside_total{reason}   accepted reports that could not be stored:
 *                                                   permanent (etcd refused it) or retries
 * shoal_dispatcher_status_queue_full_total          reports that waited for room in the queue
 *                                                   (their session stopped reading meanwhile)
 * shoal_dispatcher_sessions                         agents' sessions open now (Dispatcher)
 * shoal_dispatcher_sessions_stalled_total           sessions ended: the agent read nothing
 * shoal_dispatcher_assignments_oversized_total      tasks too big for a Session message
 * shoal_dispatcher_network_map_oversized_total      network maps too big for a Session message
 *                                                   (not sent; the agent keeps its last one)
 * shoal_dispatcher_file_data_sent_total{kind}       secrets / configs sent to a node (each once
 *                                                   per session while its tasks use it)
 * shoal_dispatcher_file_data_unavailable_total{kind} secrets / configs a node needed but could not
 *                                                   have (no cluster key, gone, node over 64 MiB):
 *                                                   its tasks there are REJECTED
 * </pre>
 *
 * Each count is also kept here, so tests read it without a metrics endpoint.
 */
@Singleton
final class DispatcherMetrics {
  private static final AttributeKey<String> FIELD = AttributeKey.stringKey("field");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");

  private final LongCounter rejected;
  private final LongCounter setAside;
  private final LongCounter queueFull;
  private final LongCounter stalled;
  private final LongCounter oversized;
  private final LongCounter mapOversized;
  private final LongCounter fileDataSent;
  private final LongCounter fileDataUnavailable;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Inject
  DispatcherMetrics(Telemetry telemetry) {
    Meter meter = telemetry.meter("io.shoal.dispatcher");
    rejected = meter.counterBuilder("shoal.dispatcher.status.rejected").setUnit("{report}")
        .setDescription("Task status reports refused on arrival, by the field at fault.").build();
    setAside = meter.counterBuilder("shoal.dispatcher.status.set_aside").setUnit("{report}")
        .setDescription("Accepted task status reports that could not be stored and were dropped.").build();
    queueFull = meter.counterBuilder("shoal.dispatcher.status.queue_full").setUnit("{report}")
        .setDescription("Task status reports that waited for room in the status queue.").build();
    stalled = meter.counterBuilder("shoal.dispatcher.sessions.stalled").setUnit("{session}")
        .setDescription("Sessions ended because the agent read none of the messages waiting for it.").build();
    oversized = meter.counterBuilder("shoal.dispatcher.assignments.oversized").setUnit("{task}")
        .setDescription("Tasks left out of assignments: bigger than a Session message may be.").build();
    mapOversized = meter.counterBuilder("shoal.dispatcher.network_map.oversized").setUnit("{map}")
        .setDescription("Network maps not sent: bigger than a Session message may be.").build();
    fileDataSent = meter.counterBuilder("shoal.dispatcher.file_data.sent").setUnit("{object}")
        .setDescription("Secrets and configs sent to nodes whose tasks use them, by kind.").build();
    fileDataUnavailable = meter.counterBuilder("shoal.dispatcher.file_data.unavailable").setUnit("{object}")
        .setDescription("Secrets and configs a node's tasks need that could not be sent, by kind.").build();
  }

  /** For tests and tools that need no exporter. */
  static DispatcherMetrics noop() {
    return new DispatcherMetrics(Telemetry.noop());
  }

  /** {@code field} without indices ("status.ports.host_ip"), so the attribute stays small. */
  void rejected(String field) {
    String f = field.replaceAll("\\[[^]]*]", "");
    rejected.add(1, Attributes.of(FIELD, f));
    count("rejected." + f, 1);
  }

  void setAside(String reason, int reports) {
    setAside.add(reports, Attributes.of(REASON, reason));
    count("set_aside." + reason, reports);
  }

  void queueFull() {
    queueFull.add(1);
    count("queue_full", 1);
  }

  void stalled() {
    stalled.add(1);
    count("stalled", 1);
  }

  void oversized() {
    oversized.add(1);
    count("oversized", 1);
  }

  void networkMapOversized() {
    mapOversized.add(1);
    count("network_map_oversized", 1);
  }

  void fileDataSent(io.shoal.api.v1.FileDataKind kind) {
    fileDataSent.add(1, Attributes.of(KIND, kindName(kind)));
    count("file_data_sent." + kindName(kind), 1);
  }

  void fileDataUnavailable(io.shoal.api.v1.FileDataKind kind) {
    fileDataUnavailable.add(1, Attributes.of(KIND, kindName(kind)));
    count("file_data_unavailable." + kindName(kind), 1);
  }

  private static String kindName(io.shoal.api.v1.FileDataKind kind) {
    return kind == io.shoal.api.v1.FileDataKind.FILE_DATA_KIND_SECRET ? "secret" : "config";
  }

  /** The count so far, by the name used here ("rejected.status.state", "set_aside.permanent"). */
  long count(String name) {
    LongAdder adder = counts.get(name);
    return adder == null ? 0 : adder.sum();
  }

  private void count(String name, long n) {
    counts.computeIfAbsent(name, k -> new LongAdder()).add(n);
  }
}
