package io.shoal.agent.exec;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import io.shoal.api.v1.Task;
import io.shoal.common.tracing.StoredTraceContext;
import java.util.function.Supplier;

/**
 * The agent's part of a request's trace: the engine calls made for a task (pull, create, start,
 * stop) as spans under the context the scheduler stored in the task. A task that carries no
 * context (its request was not traced, or it is a restart) makes no span.
 */
public final class TaskSpans {
  /** No spans (tests, and an agent without a trace store). */
  public static final TaskSpans NONE = new TaskSpans(TracerProvider.noop().get("shoal-node-agent"));

  private final Tracer tracer;

  public TaskSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Runs {@code call} as the span {@code name} of {@code task}'s trace. */
  <T> T around(String name, Task task, Supplier<T> call) {
    if (task.getTraceContextCount() == 0) {
      return call.get();
    }
    Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT)
        .setParent(StoredTraceContext.parent(task.getTraceContextMap()))
        .setAttribute("shoal.task.id", task.getId())
        .setAttribute("shoal.service.name", task.getServiceName())
        .setAttribute("shoal.task.slot", task.getSlot())
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return call.get();
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }

  void around(String name, Task task, Runnable call) {
    around(name, task, () -> {
      call.run();
      return null;
    });
  }
}
