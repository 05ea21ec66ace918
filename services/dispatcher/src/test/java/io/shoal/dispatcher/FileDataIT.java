package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.Payload;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets and configs reach exactly the nodes whose tasks use them, on a real etcd, the test
 * playing control (it seals the secret as control does) and the scheduler.
 */
@ExtendWith(EtcdExtension.class)
class FileDataIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String SECRET_ID = "sec1";
  private static final String CONFIG_ID = "cfg1";
  private static final byte[] SECRET = "the-password-42".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CONFIG = "listen 80;".getBytes(StandardCharsets.UTF_8);

  private final DispatcherMetrics metrics = DispatcherMetrics.noop();
  private final ClusterKey key = ClusterKey.generate();
  private EtcdTestCluster etcd;
  private EtcdStore store;
  private SessionManager sessions;
  private Server server;
  private ManagedChannel channel;
  private final List<TestAgent> agents = new ArrayList<>();
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void setUp(EtcdTestCluster etcd) {
    this.etcd = etcd;
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    store.txn()
        .create(Tables.SECRET_DATA, SECRET_ID, Payload.newBuilder().setId(SECRET_ID)
            .setData(ByteString.copyFrom(key.seal(SECRET, SECRET_ID.getBytes(StandardCharsets.UTF_8)).encode()))
            .build())
        .create(Tables.CONFIG_DATA, CONFIG_ID, Payload.newBuilder().setId(CONFIG_ID)
            .setData(ByteString.copyFrom(CONFIG)).build())
        .commit();
    heartbeats.scheduleAtFixedRate(() -> agents.forEach(TestAgent::heartbeat), 300, 300, TimeUnit.MILLISECONDS);
  }

  private void startDispatcher(Optional<ClusterKey> clusterKey) throws Exception {
    EtcdStore own = store.writingAs(Writer.DISPATCHER);
    TestDispatcherComponent graph = TestDispatcherComponent.create(own, metrics,
        new TaskStatusWriter(own), Duration.ofSeconds(1), AgentSession.STALL_TIMEOUT, clusterKey);
    sessions = graph.sessions();
    sessions.start();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(graph.grpcService()).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    heartbeats.shutdownNow();
    agents.forEach(TestAgent::close);
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
      sessions.close();
    }
    store.close();
  }

  private TestAgent agent(String nodeId, String addr) {
    TestAgent agent = new TestAgent(channel).register(nodeId, addr);
    synchronized (this) {
      agents.add(agent);
    }
    await().atMost(WAIT).until(() -> agent.assignments().size() == 1);
    return agent;
  }

  private static Task task(String id, String nodeId) {
    return Task.newBuilder().setId(id).setServiceId("web").setServiceName("web").setSlot(1).setNodeId(nodeId)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_ASSIGNED))
        .setSpec(ServiceSpec.newBuilder().setName("web")
            .addSecrets(SecretReference.newBuilder().setSecretId(SECRET_ID).setSecretName("db-pass"))
            .addConfigs(ConfigReference.newBuilder().setConfigId(CONFIG_ID).setConfigName("nginx")))
        .build();
  }

  private static List<SessionResponse> fileData(TestAgent agent) {
    return agent.received.stream().filter(SessionResponse::hasFileData).toList();
  }

  private static Optional<FileData> file(TestAgent agent, FileDataKind kind, String id) {
    return fileData(agent).stream().flatMap(r -> r.getFileData().getFilesList().stream())
        .filter(f -> f.getRef().getKind() == kind && f.getRef().getId().equals(id)).findFirst();
  }

  private static int indexOf(TestAgent agent, java.util.function.Predicate<SessionResponse> p) {
    for (int i = 0; i < agent.received.size(); i++) {
      if (p.test(agent.received.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aSecretAndAConfigGoOnlyToTheNodeThatUsesThemBeforeTheTaskAndAreDroppedWithIt() throws Exception {
    startDispatcher(Optional.of(key));
    TestAgent a = agent("na", "127.0.0.41");
    TestAgent b = agent("nb", "127.0.0.42");
    store.txn().create(Tables.TASKS, "t1", task("t1", "na")).commit();

    await().atMost(WAIT).until(() -> a.assignments().stream().anyMatch(x -> x.getTasksCount() == 1));
    FileData secret = file(a, FileDataKind.FILE_DATA_KIND_SECRET, SECRET_ID).orElseThrow();
    assertThat(secret.getData().toByteArray()).isEqualTo(SECRET);
    assertThat(file(a, FileDataKind.FILE_DATA_KIND_CONFIG, CONFIG_ID).orElseThrow().getData().toByteArray())
        .isEqualTo(CONFIG);
    // Before the assignment that needs them, and once only.
    assertThat(indexOf(a, SessionResponse::hasFileData))
        .isLessThan(indexOf(a, r -> r.hasAssignments() && r.getAssignments().getTasksCount() == 1));
    assertThat(fileData(a)).hasSize(1);

    // The task is told to stop: no task of the node uses them any more.
    Task stopping = store.get(Tables.TASKS, "t1").orElseThrow().toBuilder()
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build();
    store.txn().update(Tables.TASKS, "t1", stopping, stopping.getVersion()).commit();
    await().atMost(WAIT).until(() -> fileData(a).stream().anyMatch(r -> r.getFileData().getRemovedCount() == 2));
    assertThat(fileData(a).get(1).getFileData().getRemovedList()).containsExactlyInAnyOrder(
        SentFileData.ref(FileDataKind.FILE_DATA_KIND_SECRET, SECRET_ID),
        SentFileData.ref(FileDataKind.FILE_DATA_KIND_CONFIG, CONFIG_ID));

    // Node b had no task of the service: it never got the data, nor anything about it.
    assertThat(fileData(b)).isEmpty();
    assertThat(b.received.toString()).doesNotContain("the-password-42");
    assertThat(metrics.count("file_data_sent.secret")).isEqualTo(1);
  }

  @Test
  void withoutTheClusterKeyASecretIsUnavailableSayingWhyAndAConfigStillGoes() throws Exception {
    startDispatcher(Optional.empty());
    TestAgent a = agent("na", "127.0.0.43");
    store.txn().create(Tables.TASKS, "t2", task("t2", "na")).commit();

    await().atMost(WAIT).until(() -> file(a, FileDataKind.FILE_DATA_KIND_SECRET, SECRET_ID).isPresent());
    FileData secret = file(a, FileDataKind.FILE_DATA_KIND_SECRET, SECRET_ID).orElseThrow();
    assertThat(secret.hasData()).isFalse();
    assertThat(secret.getUnavailable()).contains("no cluster key").contains("--cluster-key-file");
    assertThat(file(a, FileDataKind.FILE_DATA_KIND_CONFIG, CONFIG_ID).orElseThrow().getData().toByteArray())
        .isEqualTo(CONFIG);
    assertThat(metrics.count("file_data_unavailable.secret")).isEqualTo(1);
  }

  @Test
  void aSecretSealedUnderAnotherKeyIsUnavailableNamingTheKeys() throws Exception {
    startDispatcher(Optional.of(ClusterKey.generate()));
    TestAgent a = agent("na", "127.0.0.44");
    store.txn().create(Tables.TASKS, "t3", task("t3", "na")).commit();

    await().atMost(WAIT).until(() -> file(a, FileDataKind.FILE_DATA_KIND_SECRET, SECRET_ID).isPresent());
    assertThat(file(a, FileDataKind.FILE_DATA_KIND_SECRET, SECRET_ID).orElseThrow().getUnavailable())
        .contains("sealed under cluster key " + key.id().substring(0, 4));
  }
}
