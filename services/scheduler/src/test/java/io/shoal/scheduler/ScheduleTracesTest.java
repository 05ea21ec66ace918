package io.shoal.scheduler;

import static io.shoal.scheduler.Fixtures.ready;
import static io.shoal.scheduler.Fixtures.service;
import static io.shoal.scheduler.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.common.ids.Ids;
import io.shoal.scheduler.network.AddressAllocator;
import io.shoal.scheduler.orchestrator.GlobalOrchestrator;
import io.shoal.scheduler.orchestrator.ReplicatedOrchestrator;
import io.shoal.scheduler.orchestrator.RestartSupervisor;
import io.shoal.scheduler.orchestrator.TaskFactory;
import io.shoal.scheduler.orchestrator.TaskReaper;
import io.shoal.scheduler.orchestrator.UpdateSupervisor;
import io.shoal.scheduler.placement.PlacementPlugins;
import io.shoal.scheduler.placement.Placer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A pass over a service written inside a traced request continues that request's trace. */
class ScheduleTracesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final Map<String, String> CREATE =
      Map.of("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final Reconciler reconciler = reconciler();

  @AfterEach
  void stop() {
    tracing.close();
  }

  private Reconciler reconciler() {
    TaskFactory factory = new TaskFactory(clock, Ids::newId);
    RestartSupervisor restarts = new RestartSupervisor(clock);
    UpdateSupervisor updates = new UpdateSupervisor(clock);
    return new Reconciler(new ReplicatedOrchestrator(factory, restarts, updates),
        new GlobalOrchestrator(factory, restarts, updates), new TaskReaper(5),
        new Placer(PlacementPlugins.filters(Set.of()), PlacementPlugins.preferences(Set.of()), factory::now),
        new AddressAllocator(factory::now), new ScheduleTraces(tracing.get("test"), clock));
  }

  private static Service written(Service service, Instant at, Map<String, String> context) {
    return service.toBuilder().setVersion(7).putAllTraceContext(context)
        .setUpdateTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())).build();
  }

  @Test
  void thePassIsAScheduleSpanUnderTheRequestAndEveryTaskItMakesCarriesIt() {
    Service web = written(service("web", 2), NOW.minusSeconds(1), CREATE);

    Plan plan = reconciler.reconcile(view(List.of(web), List.of(), List.of(ready("n1"))));

    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
        .containsExactlyInAnyOrder("schedule web", "place tasks");
    SpanData schedule = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("schedule web"))
        .findFirst().orElseThrow();
    assertThat(schedule.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(schedule.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(plan.creates()).hasSize(2).allSatisfy(task -> assertThat(task.getTraceContextMap())
        .containsEntry("traceparent", "00-" + TRACE_ID + "-" + schedule.getSpanId() + "-01"));
  }

  @Test
  void anUntracedServiceAVersionWrittenLongAgoAndAPassThatChangesNothingMakeNoSpan() {
    Service untraced = written(service("plain", 1), NOW.minusSeconds(1), Map.of());
    Service old = written(service("old", 1), NOW.minus(ScheduleTraces.TRACED_FOR).minusSeconds(1), CREATE);

    Plan plan = reconciler.reconcile(view(List.of(untraced, old), List.of(), List.of(ready("n1"))));
    assertThat(plan.creates()).hasSize(2).allSatisfy(task -> assertThat(task.getTraceContextMap()).isEmpty());

    Service converged = written(service("done", 1), NOW.minusSeconds(1), CREATE);
    Task running = Fixtures.task("t1", converged, 1, "n1", io.shoal.api.v1.TaskState.TASK_STATE_RUNNING, 0);
    assertThat(reconciler.reconcile(view(List.of(converged), List.of(running), List.of(ready("n1")))).creates())
        .isEmpty();

    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void aTaskChangedOutsideATracedRequestLosesTheContextOfTheRequestThatMadeIt() {
    Service removed = written(service("gone", 1), NOW.minusSeconds(1), CREATE);
    Task made = Fixtures.task("t1", removed, 1, "n1", io.shoal.api.v1.TaskState.TASK_STATE_RUNNING, 0).toBuilder()
        .putAllTraceContext(CREATE).build();

    // The service is gone (`service rm`): its task is shut down by no traced request.
    Plan plan = reconciler.reconcile(view(List.of(), List.of(made), List.of(ready("n1"))));

    assertThat(plan.updates()).hasSize(1).allSatisfy(task -> assertThat(task.getTraceContextMap()).isEmpty());
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void aTracedRemovalsRecordMakesTheShutdownOfTheServicesTasksPartOfTheRmsTrace() {
    Service removed = written(service("gone", 1), NOW.minusSeconds(1), Map.of());
    Task made = Fixtures.task("t1", removed, 1, "n1", io.shoal.api.v1.TaskState.TASK_STATE_RUNNING, 0);
    Service record = written(removed, NOW.minusSeconds(1), CREATE);

    Plan plan = reconciler.reconcile(new ClusterView(Map.of(), Map.of(made.getId(), made),
        Map.of("n1", ready("n1")), Map.of(), Set.of(), Map.of(record.getId(), record)));

    assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).contains("schedule gone");
    assertThat(plan.updates()).hasSize(1).allSatisfy(task -> {
      assertThat(task.getDesiredState().getNumber()).isGreaterThan(io.shoal.api.v1.TaskState.TASK_STATE_RUNNING_VALUE);
      assertThat(task.getTraceContextMap().get("traceparent")).contains(TRACE_ID);
    });
  }
}
