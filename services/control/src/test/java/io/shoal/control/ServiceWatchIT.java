package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.api.v1.WatchServiceRequest;
import io.shoal.api.v1.WatchServiceResponse;
import io.shoal.common.store.Tables;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WatchService on a real etcd: one notice per change of the service or its tasks, folded for a slow client. */
class ServiceWatchIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final AtomicInteger taskIds = new AtomicInteger();
  @RegisterExtension final InProcessControl control = new InProcessControl();

  @Test
  void theFirstNoticeComesAtOnceThenOneForEachChangeOfTheServiceOrItsTasksOnly() throws Exception {
    Service web = create("watch-web");
    Service other = create("watch-other");
    var w = watch("watch-web", 100);
    long first = w.next().getRevision();
    assertThat(first).isGreaterThanOrEqualTo(web.getVersion());

    writeTask(other); // not web's: no notice
    long own = writeTask(web);

    assertThat(w.next().getRevision()).isEqualTo(own);
  }

  @Test
  void theSchedulersStatusOfTheServiceBringsANotice() throws Exception {
    Service web = create("watch-status");
    Service other = create("watch-status-other");
    var w = watch("watch-status", 100);
    w.next();

    writeStatus(other); // not web's: no notice
    long own = writeStatus(web);

    assertThat(w.next().getRevision()).isEqualTo(own);
  }

  @Test
  void anUnknownServiceIsNotFound() throws Exception {
    var w = watch("watch-nothing", 1);
    assertThat(w.failure()).extracting(s -> s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(control.watches.open()).isZero();
  }

  @Test
  void removingTheServiceEndsTheWatchWithNotFound() throws Exception {
    Service web = create("watch-gone");
    var w = watch("watch-gone", 100);
    w.next();

    control.stub.deleteService(DeleteServiceRequest.newBuilder().setService(web.getId()).build());

    Status ended = w.failure();
    assertThat(ended.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(ended.getDescription()).isEqualTo("service watch-gone was removed");
    await().atMost(WAIT).until(() -> control.watches.open() == 0);
  }

  @Test
  void changesAClientHasNotTakenFoldIntoOneNoticeOfTheNewest() throws Exception {
    Service web = create("watch-slow");
    var w = watch("watch-slow", 1); // takes the first notice, then reads nothing
    w.next();
    long last = 0;
    for (int i = 0; i < 20; i++) {
      last = writeTask(web);
    }
    long newest = last;
    // Waiting for nothing to arrive is not testable; wait until control has seen the last write
    // (its pending revision is folded), then take one notice: it is the newest, not the second.
    await().atMost(WAIT).untilAsserted(() -> {
      w.call.request(1);
      assertThat(w.next().getRevision()).isEqualTo(newest);
    });
    long after = writeTask(web);
    w.call.request(1);
    assertThat(w.next().getRevision()).isEqualTo(after);
  }

  @Test
  void cancellingClosesTheWatch() throws Exception {
    create("watch-cancel");
    var w = watch("watch-cancel", 100);
    w.next();
    assertThat(control.watches.open()).isEqualTo(1);

    w.call.cancel("done", null);

    await().atMost(WAIT).until(() -> control.watches.open() == 0);
  }

  private Service create(String name) {
    ServiceSpec spec = ServiceSpec.newBuilder().setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/watch/web:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(1)).build();
    return control.stub.createService(CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(true).build())
        .getService();
  }

  /** Stores a new task of {@code service}; returns the revision of the write. */
  private long writeTask(Service service) {
    String id = "watch-task-" + taskIds.incrementAndGet();
    return control.store.txn()
        .create(Tables.TASKS, id, Task.newBuilder().setId(id).setServiceId(service.getId()).build())
        .commit();
  }

  /** Stores the scheduler's status of {@code service}, as an update rolls; returns the revision of the write. */
  private long writeStatus(Service service) {
    return control.store.txn().create(Tables.SERVICE_STATUS, service.getId(), ServiceStatus.newBuilder()
        .setServiceId(service.getId()).setServiceVersion(service.getVersion())
        .setUpdateStatus(UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_UPDATING)).build()).commit();
  }

  /** A watch that asks for {@code initialRequests} notices and then only when told. */
  private StreamRecorder<WatchServiceRequest, WatchServiceResponse> watch(String service, int initialRequests) {
    var w = new StreamRecorder<WatchServiceRequest, WatchServiceResponse>(WatchServiceResponse.class, initialRequests);
    ControlServiceGrpc.newStub(control.channel)
        .watchService(WatchServiceRequest.newBuilder().setService(service).build(), w);
    return w;
  }
}
