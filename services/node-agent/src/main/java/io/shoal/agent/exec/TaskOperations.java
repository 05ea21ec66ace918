package io.shoal.agent.exec;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
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
 * The engine calls made for a task (pull, create, start, stop, remove): each counted by
 * operation and result ({@code shoal_agent_container_operations_total{operation,result}}), and
 * a span of the request's trace under the context the scheduler stored in the task. A task that
 * carries no context (its request was not traced, or it is a restart) makes no span.
 */
public final class TaskOperations {
  /** Neither counted nor traced (tests). */
  public static final TaskOperations NONE =
      new TaskOperations(TracerProvider.noop().get("shoal-node-agent"), MeterProvider.noop());

  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");
  private static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");

  private final Tracer tracer;
  private final LongCounter operations;

  public TaskOperations(Tracer tracer, MeterProvider meters) {
    this.tracer = tracer;
    this.operations = meters.get("io.shoal.agent").counterBuilder("shoal.agent.container.operations")
        .setUnit("{operation}")
        .setDescription("Engine calls made for tasks, by operation (pull, create, start, stop, remove) and result (ok, error)")
        .build();
  }

  /** Runs {@code call}, the engine's {@code operation} for {@code task}, counted and as the span {@code name}. */
  <T> T around(String operation, String name, Task task, Supplier<T> call) {
    Span span = task.getTraceContextCount() == 0 ? Span.getInvalid()
        : tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT)
            .setParent(StoredTraceContext.parent(task.getTraceContextMap()))
            .setAttribute("shoal.task.id", task.getId())
            .setAttribute("shoal.service.name", task.getServiceName())
            .setAttribute("shoal.task.slot", task.getSlot())
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      T result = call.get();
      operations.add(1, Attributes.of(OPERATION, operation, RESULT, "ok"));
      return result;
    } catch (RuntimeException e) {
      operations.add(1, Attributes.of(OPERATION, operation, RESULT, "error"));
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }

  void around(String operation, String name, Task task, Runnable call) {
    around(operation, name, task, () -> {
      call.run();
      return null;
    });
  }
}
