package io.shoal.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.cli.testing.FakeClock;
import io.shoal.cli.testing.FakeControlService;
import io.shoal.testing.InProcessGrpcExtension;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listings follow every page, and start over when control says the snapshot is gone. */
class ControlClientPagingTest {
  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  private final FakeControlService control = new FakeControlService(new FakeClock(Instant.EPOCH));
  private ControlClient client;

  @BeforeEach
  void start() {
    client = new ControlClient(grpc.serve(control));
  }

  @Test
  void everyListingFollowsEveryPage() {
    for (int i = 0; i < 7; i++) {
      control.addService(ServiceSpec.newBuilder().setName("s" + i).build());
      control.addTask(Task.newBuilder().setId("t" + i).build());
      control.addNode(Node.newBuilder().setId("n" + i).build());
    }

    assertThat(client.listServices()).hasSize(7);
    assertThat(client.listTasks("")).extracting(Task::getId)
        .containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
    assertThat(client.listNodes()).extracting(Node::getId).doesNotHaveDuplicates().hasSize(7);
  }

  @Test
  void anAbortedListingStartsOverAndListsEachTaskOnce() {
    for (int i = 0; i < 5; i++) {
      control.addTask(Task.newBuilder().setId("t" + i).build());
    }
    control.failNext("ListTasks", Status.ABORTED.withDescription("the listing's snapshot is gone"));

    assertThat(client.listTasks("")).extracting(Task::getId).containsExactly("t0", "t1", "t2", "t3", "t4");
  }

  @Test
  void otherFailuresAreNotRetried() {
    control.failNext("ListNodes", Status.INVALID_ARGUMENT.withDescription("page_token: bad"));

    assertThatThrownBy(client::listNodes).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
