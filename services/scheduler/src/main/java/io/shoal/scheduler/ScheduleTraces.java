package io.shoal.scheduler;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.common.tracing.StoredTraceContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The scheduler's part of a request's trace. A service whose version control wrote inside a
 * traced request carries that request's context ({@code Service.trace_context}); a pass that
 * changes the service's tasks becomes a span "schedule NAME" under it, with a child "place tasks"
 * for the placement, and every task the pass makes or changes carries the span's context on, to
 * the dispatcher and the agent. A pass that changes nothing makes no span, and a version written
 * more than {@link #TRACED_FOR} ago no longer joins its request's trace (a restart a day later is
 * not part of the create). A task changed outside any traced request loses the context it
 * carried, so what follows that change is not added to an old trace. A service removed by a
 * traced {@code service rm} is orchestrated from its record in {@code removed_services}, which
 * carries the rm's context: the shutdown of its tasks joins that trace.
 *
 * <p>A pass decides for every service at once, so the spans are made after it, with the times
 * taken during it; services without a stored context cost one check.
 */
final class ScheduleTraces {
  static final Duration TRACED_FOR = Duration.ofMinutes(10);

  private final Tracer tracer;
  private final Clock clock;
  /** This pass's traced services, with when their orchestration began. */
  private final Map<String, Instant> orchestrated = new LinkedHashMap<>();
  private Instant placementStarted;

  ScheduleTraces(Tracer tracer, Clock clock) {
    this.tracer = tracer;
    this.clock = clock;
  }

  /** No spans: the scheduler's unit tests. */
  static ScheduleTraces off() {
    return new ScheduleTraces(TracerProvider.noop().get("shoal-scheduler"), Clock.systemUTC());
  }

  /** A pass starts orchestrating {@code service}. */
  void orchestrating(Service service) {
    if (service.getTraceContextCount() > 0 && recent(service)) {
      orchestrated.put(service.getId(), clock.instant());
    }
  }

  /** The pass starts placing. */
  void placing() {
    placementStarted = clock.instant();
  }

  /**
   * The pass has placed: makes the spans of the traced services whose tasks {@code plan} makes
   * or changes, and records each span's context in those tasks. Forgets the pass.
   */
  void placed(Function<String, Service> services, Plan plan) {
    Map<String, List<Task>> changed = new HashMap<>();
    for (Task task : plan.createdAndUpdated()) {
      if (orchestrated.containsKey(task.getServiceId())) {
        changed.computeIfAbsent(task.getServiceId(), k -> new ArrayList<>()).add(task);
      } else if (task.getTraceContextCount() > 0) {
        // Changed by no traced request (a node went down, the service was removed): the context
        // of the request that made the task no longer applies, and the dispatcher's and the
        // agent's work on this change must not join that old trace.
        plan.update(task.toBuilder().clearTraceContext().build());
      }
    }
    if (orchestrated.isEmpty()) {
      return;
    }
    Instant placementEnded = clock.instant();
    changed.forEach((serviceId, tasks) -> {
      Service service = services.apply(serviceId);
      Span schedule = tracer.spanBuilder("schedule " + service.getSpec().getName())
          .setParent(StoredTraceContext.parent(service.getTraceContextMap()))
          .setStartTimestamp(orchestrated.get(serviceId))
          .setAttribute("shoal.service.id", serviceId)
          .setAttribute("shoal.service.version", service.getVersion())
          .setAttribute("shoal.tasks.changed", tasks.size())
          .startSpan();
      Context scheduled = Context.root().with(schedule);
      Span place = tracer.spanBuilder("place tasks").setParent(scheduled)
          .setStartTimestamp(placementStarted)
          .setAttribute("shoal.tasks.placed", tasks.stream().filter(t -> !t.getNodeId().isEmpty()).count())
          .startSpan();
      place.end(placementEnded);
      Map<String, String> context = StoredTraceContext.of(scheduled);
      for (Task task : tasks) {
        plan.update(task.toBuilder().clearTraceContext().putAllTraceContext(context).build());
      }
      schedule.end(placementEnded);
    });
    orchestrated.clear();
  }

  private boolean recent(Service service) {
    // Any stored time, however wrong, must not fail the pass: out of range is not recent.
    return io.shoal.common.time.Timestamps.tryInstant(service.getUpdateTime())
        .map(written -> Duration.between(written, clock.instant()).compareTo(TRACED_FOR) < 0).orElse(false);
  }
}
