package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.shoal.control.paging.TablePager;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.ListTasksRequest;
import io.shoal.api.v1.ListTasksResponse;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.cli.CliContext;
import io.shoal.cli.ShoalCli;
import io.shoal.cli.client.ControlChannels;
import io.shoal.cli.client.ControlClient;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The List RPCs page, on a real etcd over a real (Netty) gRPC connection through the CLI's own
 * client and channel: the tasks below are about 9 MB together, past gRPC's 4 MiB default message
 * and the CLI's 8 MiB, and every one of them is listed, once. In e2e, where control and the CLI
 * meet.
 */
@ExtendWith(EtcdExtension.class)
class ListPagingIT {
  private static final int BIG_TASKS = 150;
  private static final int SMALL_TASKS = 50;
  /** Two of these bring a spec just under the 64 KiB it may have. */
  private static final String BIG_ENV = "BLOB=" + "x".repeat(30 * 1024);

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  private EtcdStore store;
  private Server server;
  private final ControlChannels channels = new ControlChannels(java.util.Map.of("SHOAL_INSECURE", "1"));
  private ManagedChannel channel;
  private ControlClient client;
  private String target;
  private Service big;
  private Service small;

  @BeforeEach
  void start(EtcdTestCluster etcd) throws IOException {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    ServiceManager services = new ServiceManager(store, new ImagePinner(grpc.unservedChannel()), Clock.systemUTC());
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new ControlGrpcService(services)).build().start();
    target = "127.0.0.1:" + server.getPort();
    channel = channels.apply(target);
    client = new ControlClient(channel);
    big = services.create(spec("paging-big").toBuilder().setContainer(spec("paging-big").getContainer()
        .toBuilder().addEnv(BIG_ENV).addEnv(BIG_ENV)).build(), ServiceManager.ImageOptions.NO_RESOLVE).service();
    small = services.create(spec("paging-small"), ServiceManager.ImageOptions.NO_RESOLVE).service();
    // As the scheduler writes tasks: each carries its service's full spec.
    for (int i = 1; i <= BIG_TASKS; i++) {
      writeTask(big, i);
    }
    for (int i = 1; i <= SMALL_TASKS; i++) {
      writeTask(small, i);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    channels.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    store.close();
  }

  private static ServiceSpec spec(String name) {
    return ServiceSpec.newBuilder().setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/paging/app:1"))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(BIG_TASKS)).build();
  }

  private void writeTask(Service s, int slot) {
    String id = s.getSpec().getName() + "-task-" + slot;
    store.txn().create(Tables.TASKS, id, Task.newBuilder().setId(id).setServiceId(s.getId())
        .setServiceName(s.getSpec().getName()).setSlot(slot).setSpec(s.getSpec()).build()).commit();
  }

  private static List<String> ids(List<Task> tasks) {
    return tasks.stream().map(Task::getId).toList();
  }

  @Test
  void theCliClientListsEveryTaskOnceThoughTheyOutgrowOneMessage() {
    List<Task> all = client.listTasks("");

    assertThat(all.stream().mapToLong(Task::getSerializedSize).sum()).isGreaterThan(ControlClient.MAX_INBOUND_MESSAGE_BYTES);
    assertThat(ids(all)).doesNotHaveDuplicates().hasSize(BIG_TASKS + SMALL_TASKS);
    assertThat(ids(client.listTasks("paging-big"))).doesNotHaveDuplicates().hasSize(BIG_TASKS)
        .allMatch(id -> id.startsWith("paging-big-task-"));
    assertThat(client.listServices()).extracting(s -> s.getSpec().getName())
        .containsExactlyInAnyOrder("paging-big", "paging-small");
  }

  @Test
  void eachPageStaysUnderTheByteBudgetAndThePageSize() {
    ControlServiceGrpc.ControlServiceBlockingStub stub = ControlServiceGrpc.newBlockingStub(channel);
    List<ListTasksResponse> pages = new ArrayList<>();
    String token = "";
    do {
      ListTasksResponse page = stub.listTasks(ListTasksRequest.newBuilder().setPageToken(token).build());
      pages.add(page);
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
    assertThat(pages).allSatisfy(p -> assertThat(p.getSerializedSize()).isLessThan(TablePager.MAX_PAGE_BYTES + 1024));
    assertThat(pages.stream().mapToInt(ListTasksResponse::getTasksCount).sum()).isEqualTo(BIG_TASKS + SMALL_TASKS);

    List<Task> inSevens = new ControlClient(channel, Duration.ofSeconds(60), 7).listTasks("paging-small");
    assertThat(ids(inSevens)).doesNotHaveDuplicates().hasSize(SMALL_TASKS);
    ListTasksResponse first = stub.listTasks(ListTasksRequest.newBuilder().setService("paging-small").setPageSize(7).build());
    assertThat(first.getTasksCount()).isEqualTo(7);
  }

  @Test
  void servicePsAndNodeLsShowEveryItem() {
    for (int i = 0; i < 30; i++) {
      String id = "paging-node-" + i;
      store.txn().create(Tables.NODES, id, Node.newBuilder().setId(id)
          .setDescription(NodeDescription.newBuilder().setHostname("host-" + i)).build()).commit();
    }

    assertThat(shoal("service", "ps", "-q", "--no-trunc", "paging-big", "paging-small")).hasSize(BIG_TASKS + SMALL_TASKS);
    assertThat(shoal("node", "ls", "-q")).hasSize(30);
    assertThat(shoal("service", "ls", "-q")).hasSize(2);
  }

  /**
   * Tasks written before specs were bounded can be far larger than 64 KiB: control reads fewer
   * at a time when jetcd refuses an answer as too large, and still lists them all.
   */
  @Test
  void tasksLargerThanAnyBoundedSpecStillListOneAPage() {
    Service huge = big.toBuilder().setId("huge").setSpec(big.getSpec().toBuilder().setName("paging-huge")
        .setContainer(big.getSpec().getContainer().toBuilder().addEnv("HUGE=" + "y".repeat(1024 * 1024)))).build();
    for (int i = 1; i <= 6; i++) {
      writeTask(huge, i);
    }

    assertThat(ids(client.listTasks(""))).doesNotHaveDuplicates().hasSize(BIG_TASKS + SMALL_TASKS + 6);
  }

  /** The whole CLI, on its real channel factory, against this control. */
  private List<String> shoal(String... args) {
    CliContext context = new CliContext(channels, Map.of("SHOAL_HOST", target), Clock.systemUTC(),
        (max, changes, seen) -> { }, false, Duration.ofMillis(200));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ShoalCli.run(context, new PrintWriter(out), new PrintWriter(err), args);
    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    return out.toString().lines().toList();
  }

  @Test
  void aTokenOutlivingItsSnapshotIsAbortedAndOneForAnotherListingIsInvalid() {
    ControlServiceGrpc.ControlServiceBlockingStub stub = ControlServiceGrpc.newBlockingStub(channel);
    ListTasksResponse first = stub.listTasks(ListTasksRequest.newBuilder().setPageSize(10).build());

    assertThatThrownBy(() -> stub.listTasks(ListTasksRequest.newBuilder().setService("paging-small")
            .setPageToken(first.getNextPageToken()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("page_token: was given out for another listing");
        });
    assertThatThrownBy(() -> stub.listTasks(ListTasksRequest.newBuilder().setPageToken("not-a-token").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

    writeTask(small, SMALL_TASKS + 1);
    long now = store.client().getKVClient().get(io.etcd.jetcd.ByteSequence.from("x", java.nio.charset.StandardCharsets.UTF_8))
        .join().getHeader().getRevision();
    store.client().getKVClient().compact(now).join();

    assertThatThrownBy(() -> stub.listTasks(ListTasksRequest.newBuilder().setPageSize(10)
            .setPageToken(first.getNextPageToken()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.ABORTED);
          assertThat(e.getStatus().getDescription()).endsWith("list again from the first page");
        });
    // The CLI's client starts such a listing over by itself.
    assertThat(client.listTasks("paging-small")).hasSize(SMALL_TASKS + 1);
  }
}
