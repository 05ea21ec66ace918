package io.shoal.dispatcher;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.shoal.api.v1.Assignments;
import io.shoal.api.v1.AssignmentsType;
import io.shoal.api.v1.Task;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.common.tracing.StoredTraceContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The dispatcher's part of a request's trace: a span "assign TASK" for each task it sends to an
 * agent because the task is new or changed, under the context the scheduler stored in the task.
 * The complete set a session starts with makes none: it resends what the node already had.
 */
@Singleton
final class AssignmentTraces {
  private final Tracer tracer;

  @Inject
  AssignmentTraces(Telemetry telemetry) {
    this.tracer = telemetry.tracer("shoal-dispatcher");
  }

  /** Spans begun for the traced tasks of {@code message}, to {@link #sent} once it is queued. */
  List<Span> sending(Assignments message, String nodeId) {
    if (message.getType() != AssignmentsType.ASSIGNMENTS_TYPE_INCREMENTAL) {
      return List.of();
    }
    List<Span> spans = new ArrayList<>();
    for (Task task : message.getTasksList()) {
      if (task.getTraceContextCount() > 0) {
        spans.add(tracer.spanBuilder("assign " + task.getServiceName() + "." + task.getSlot())
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(StoredTraceContext.parent(task.getTraceContextMap()))
            .setAttribute("shoal.task.id", task.getId())
            .setAttribute("shoal.node.id", nodeId)
            .setAttribute("shoal.task.desired_state", task.getDesiredState().name())
            .startSpan());
      }
    }
    return spans;
  }

  void sent(List<Span> spans) {
    spans.forEach(Span::end);
  }
}
