package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.Event;
import io.shoal.api.v1.EventFilter;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.WatchEventsRequest;
import io.shoal.api.v1.WatchEventsResponse;
import io.shoal.common.store.Tables;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WatchEvents on a real etcd: what users and the scheduler write comes out as Docker's events. */
class ControlEventsIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension final InProcessControl control = new InProcessControl();

  @Test
  void aServiceAndItsTaskComeOutAsEventsInOrderAndAFilterKeepsOnlyWhatItNames() throws Exception {
    Events all = watch(WatchEventsRequest.getDefaultInstance());
    Events servicesOnly = watch(WatchEventsRequest.newBuilder().addFilters(filter("type", "service")).build());
    awaitSubscribers(2);

    Service web = create("ev-web");
    writeTask(web, "ev-task-1", TaskState.TASK_STATE_NEW);
    writeTask(web, "ev-task-1", TaskState.TASK_STATE_RUNNING);
    control.stub.deleteService(DeleteServiceRequest.newBuilder().setService("ev-web").build());

    Event created = all.next();
    assertThat(created.getType() + " " + created.getAction() + " " + created.getName()).isEqualTo("service create ev-web");
    assertThat(created.getId()).isEqualTo(web.getId());
    Event task = all.next();
    assertThat(task.getType() + " " + task.getAction() + " " + task.getName()).isEqualTo("task create ev-web.1");
    Event running = all.next();
    assertThat(running.getAttributesMap()).containsEntry("state.old", "new").containsEntry("state.new", "running");
    assertThat(running.getRevision()).isGreaterThan(task.getRevision());
    assertThat(all.next().getAction()).isEqualTo("remove");

    assertThat(servicesOnly.next().getAction()).isEqualTo("create");
    assertThat(servicesOnly.next().getAction()).isEqualTo("remove");
  }

  @Test
  void aCallerResumesAfterTheLastRevisionItSawAndMissesNothing() throws Exception {
    Service web = create("ev-resume");
    writeTask(web, "ev-resume-1", TaskState.TASK_STATE_NEW);
    Events first = watch(WatchEventsRequest.newBuilder().setSince(io.shoal.common.time.Timestamps.toTimestamp(
        java.time.Instant.EPOCH)).addFilters(filter("name", "ev-resume")).build());
    Event created = first.next();
    assertThat(created.getAction()).isEqualTo("create");
    first.stream().call.cancel("done", null);

    Events resumed = watch(WatchEventsRequest.newBuilder().setAfterRevision(created.getRevision())
        .addFilters(filter("name", "ev-resume")).build());
    Event next = resumed.next();
    assertThat(next.getType() + " " + next.getName()).isEqualTo("task ev-resume.1");
  }

  @Test
  void aBacklogLongerThanTheQueueOfNewEventsComesWhole() throws Exception {
    Service web = create("ev-backlog");
    int tasks = io.shoal.control.events.EventLog.MAX_QUEUED + 100;
    for (int i = 0; i < tasks; i++) {
      writeTask(web, "ev-backlog-" + i, TaskState.TASK_STATE_NEW);
    }
    Events all = watch(WatchEventsRequest.newBuilder()
        .setSince(io.shoal.common.time.Timestamps.toTimestamp(java.time.Instant.EPOCH))
        .addFilters(filter("name", "ev-backlog")).build());

    assertThat(all.next().getType()).isEqualTo("service");
    for (int i = 0; i < tasks; i++) {
      assertThat(all.next().getType()).isEqualTo("task");
    }
  }

  @Test
  void aCallerThatStopsReadingIsEndedNamingTheRevisionToResumeAfterAndCostsABoundedQueue() throws Exception {
    Events stalled = watch(WatchEventsRequest.newBuilder().addFilters(filter("name", "ev-slow")).build(), 0);
    awaitSubscribers(1);
    Service web = create("ev-slow");
    // More than gRPC's flow-control window holds, then more than the caller's queue.
    for (int i = 0; i < 2 * io.shoal.control.events.EventLog.MAX_QUEUED + 500 && control.events.subscribers() > 0; i++) {
      writeTask(web, "ev-slow-" + i, TaskState.TASK_STATE_NEW);
    }
    awaitSubscribers(0);

    stalled.stream().call.request(Integer.MAX_VALUE);
    Status end = stalled.stream().drainToFailure();
    assertThat(end.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(end.getDescription()).matches("1000 events waited for this caller, which reads more slowly than"
        + " they come; watch again with after_revision \\d+ to go on");
  }

  @Test
  void untilInThePastSendsTheKeptEventsUpToItThenEnds() throws Exception {
    create("ev-until");
    java.time.Instant now = java.time.Instant.now();
    Events past = watch(WatchEventsRequest.newBuilder()
        .setSince(io.shoal.common.time.Timestamps.toTimestamp(java.time.Instant.EPOCH))
        .setUntil(io.shoal.common.time.Timestamps.toTimestamp(now.plusSeconds(1)))
        .addFilters(filter("name", "ev-until")).build());

    assertThat(past.next().getAction()).isEqualTo("create");
    assertThat(past.failure()).isEqualTo(Status.OK); // completed once until passed
  }

  @Test
  void badFiltersAndForgottenRevisionsAreRefusedSayingWhy() throws Exception {
    Status unknown = watch(WatchEventsRequest.newBuilder().addFilters(filter("label", "x")).build()).failure();
    assertThat(unknown.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(unknown.getDescription()).isEqualTo("filters: unknown filter key \"label\" (type, name, id, event)");

    Status old = watch(WatchEventsRequest.newBuilder().setAfterRevision(1).build()).failure();
    assertThat(old.getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(old.getDescription()).startsWith("events after revision 1 are no longer kept");
  }

  private static EventFilter filter(String key, String value) {
    return EventFilter.newBuilder().setKey(key).setValue(value).build();
  }

  private void awaitSubscribers(int n) {
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> n == 0
        ? control.events.subscribers() == 0 : control.events.subscribers() >= n);
  }

  private Service create(String name) {
    ServiceSpec spec = ServiceSpec.newBuilder().setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/events/web:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(1)).build();
    return control.stub.createService(CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(true).build())
        .getService();
  }

  /** Stores task {@code id} of {@code service} in slot 1 with {@code state}, as the scheduler and dispatcher do. */
  private void writeTask(Service service, String id, TaskState state) {
    Task task = Task.newBuilder().setId(id).setServiceId(service.getId()).setServiceName(service.getSpec().getName())
        .setSlot(1).setDesiredState(TaskState.TASK_STATE_RUNNING).setStatus(TaskStatus.newBuilder().setState(state))
        .build();
    var existing = control.store.get(Tables.TASKS, id);
    if (existing.isEmpty()) {
      control.store.txn().create(Tables.TASKS, id, task).commit();
    } else {
      control.store.txn().update(Tables.TASKS, id, task, existing.get().getVersion()).commit();
    }
  }

  private Events watch(WatchEventsRequest request) {
    return watch(request, -1);
  }

  /** A caller that asks for {@code initialRequests} events and then only when told (-1: all, as they come). */
  private Events watch(WatchEventsRequest request, int initialRequests) {
    Events e = new Events(new StreamRecorder<>(WatchEventsResponse.class, initialRequests));
    ControlServiceGrpc.newStub(control.channel).watchEvents(request, e.stream);
    return e;
  }

  /** One caller's stream, its events unwrapped. */
  private record Events(StreamRecorder<WatchEventsRequest, WatchEventsResponse> stream) {
    Event next() throws InterruptedException {
      return stream.next().getEvent();
    }

    Status failure() throws InterruptedException {
      return stream.failure();
    }
  }
}
