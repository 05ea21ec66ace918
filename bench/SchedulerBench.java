// The Java side of bench/scheduler.sh (run as a single source file; see that script). It plays
// 1,000 agents (one Session stream each, reporting RUNNING as soon as a task is assigned and
// running no container), creates the services in etcd as control would, waits for every task to
// run, then measures etcd's raw transaction rate for the same number of transactions the run
// used. It prints key=value lines for the script.

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.DispatcherServiceGrpc;
import io.shoal.api.v1.Heartbeat;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.SessionRequest;
import io.shoal.api.v1.SessionResponse;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.TaskStatusUpdate;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

public class SchedulerBench {
  static volatile boolean closing;
  /** Assignment messages the agents received, and the tasks they carried (full sets repeat tasks). */
  static final java.util.concurrent.atomic.LongAdder assignmentMessages = new java.util.concurrent.atomic.LongAdder();
  static final java.util.concurrent.atomic.LongAdder assignedTasksSent = new java.util.concurrent.atomic.LongAdder();

  static String arg(String[] args, String name, String def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return def;
  }

  /** One simulated agent: registers, heartbeats, reports RUNNING/SHUTDOWN for its assignments. */
  static final class Agent implements StreamObserver<SessionResponse> {
    final String nodeId;
    StreamObserver<SessionRequest> requests;
    final Set<String> reported = new HashSet<>();

    Agent(String nodeId) {
      this.nodeId = nodeId;
    }

    synchronized void send(SessionRequest r) {
      requests.onNext(r);
    }

    @Override
    public void onNext(SessionResponse response) {
      if (!response.hasAssignments()) {
        return;
      }
      assignmentMessages.increment();
      assignedTasksSent.add(response.getAssignments().getTasksCount());
      List<SessionRequest> out = new ArrayList<>();
      synchronized (this) {
        for (Task t : response.getAssignments().getTasksList()) {
          TaskState to = t.getDesiredState() == TaskState.TASK_STATE_RUNNING
              ? TaskState.TASK_STATE_RUNNING : TaskState.TASK_STATE_SHUTDOWN;
          if (t.getStatus().getState().getNumber() >= to.getNumber() || !reported.add(t.getId() + to)) {
            continue;
          }
          Instant now = Instant.now();
          out.add(SessionRequest.newBuilder().setTaskStatus(TaskStatusUpdate.newBuilder().setTaskId(t.getId())
              .setStatus(TaskStatus.newBuilder().setState(to).setMessage("simulated")
                  .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(now.getEpochSecond())
                      .setNanos(now.getNano())))).build());
        }
        out.forEach(requests::onNext);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!closing) {
        System.err.println("agent " + nodeId + ": session ended: " + t);
      }
    }

    @Override
    public void onCompleted() {}
  }

  public static void main(String[] args) throws Exception {
    String etcd = arg(args, "--etcd", "http://127.0.0.1:2379");
    String prefix = arg(args, "--prefix", "/shoal-bench/");
    String dispatcher = arg(args, "--dispatcher", "127.0.0.1:7403");
    int nodes = Integer.parseInt(arg(args, "--nodes", "1000"));
    int services = Integer.parseInt(arg(args, "--services", "10"));
    int replicas = Integer.parseInt(arg(args, "--replicas", "1000"));
    int total = services * replicas;
    // With --cert-dir: mutual TLS to etcd and to the dispatcher, under that certificate.
    Optional<Path> certDir = Optional.ofNullable(arg(args, "--cert-dir", null)).map(Path::of);
    EtcdStore store = EtcdStore.connect(etcd, prefix, certDir);

    // 1,000 agents over 4 connections.
    String[] hp = dispatcher.split(":");
    InetSocketAddress address = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    ServiceTls tls = certDir.map(ServiceTls::fromDirectory).orElseGet(ServiceTls::insecure);
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      channels.add(tls.channelTo(address).build());
    }
    List<Agent> agents = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < nodes; i++) {
      Agent a = new Agent(String.format("sim-%04d", i));
      a.requests = DispatcherServiceGrpc.newStub(channels.get(i % channels.size())).session(a);
      a.send(SessionRequest.newBuilder().setRegister(RegisterNode.newBuilder().setNodeId(a.nodeId)
          .setDescription(NodeDescription.newBuilder().setHostname(a.nodeId).setAddr("127.0.0.1").setOs("linux")
              .setArch("x86_64").setNanoCpus(2_000_000_000L).setMemoryBytes(4L << 30))).build());
      agents.add(a);
    }
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    beats.scheduleAtFixedRate(() -> agents.forEach(a -> a.send(
        SessionRequest.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build())), 2, 2, TimeUnit.SECONDS);
    // (Every 2 s against the dispatcher's 5 s period, Swarm's default: 1,000 sessions on shared
    // cores must not lapse while etcd is busy with the run.)
    while (store.list(Tables.NODE_REGISTRATIONS).items().stream()
        .filter(n -> n.getStatus().getState() == NodeState.NODE_STATE_READY).count() < nodes) {
      TimeUnit.MILLISECONDS.sleep(200);
    }
    System.out.printf("nodes_ready=%d nodes_ready_s=%.2f%n", nodes, (System.nanoTime() - t0) / 1e9);

    StoreCache cache = new StoreCache(store, List.of(Tables.TASKS), changes -> {}).start();
    long rev0 = store.txn().commit(); // an empty txn reads the current revision
    long start = System.nanoTime();
    var txn = store.txn();
    // With --traced: each service as control writes it inside a traced create (its trace context
    // and a fresh update time), so the scheduler and the dispatcher make and send their spans.
    boolean traced = List.of(args).contains("--traced");
    java.util.Random random = new java.util.Random();
    for (int s = 0; s < services; s++) {
      String id = "bench" + s;
      Service.Builder service = Service.newBuilder().setId(id).setSpec(ServiceSpec.newBuilder()
          .setName(id).setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/bench/app:1"))
          .setReplicated(ReplicatedService.newBuilder().setReplicas(replicas)));
      if (traced) {
        java.time.Instant now = java.time.Instant.now();
        service.setUpdateTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
            .putTraceContext("traceparent", String.format("00-%016x%016x-%016x-01",
                random.nextLong(), random.nextLong(), random.nextLong() | 1));
      }
      txn.create(Tables.SERVICES, id, service.build());
    }
    txn.commit();
    long allAssigned = 0;
    while (true) {
      Map<String, Task> tasks = cache.view(Tables.TASKS);
      long assigned = tasks.values().stream().filter(t -> t.getStatus().getState().getNumber() >= TaskState.TASK_STATE_ASSIGNED_VALUE).count();
      long running = tasks.values().stream().filter(t -> t.getStatus().getState() == TaskState.TASK_STATE_RUNNING).count();
      if (allAssigned == 0 && assigned >= total) {
        allAssigned = System.nanoTime();
      }
      if (running >= total) {
        break;
      }
      if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(2)) {
        System.out.println("error=timeout running=" + running + " assigned=" + assigned);
        System.exit(1);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long txns = store.txn().commit() - rev0 - 1;
    // Every write of a task key bumps its version: their sum is the run's task writes.
    long writes = store.listRaw("tasks/").stream().mapToLong(kv -> kv.getVersion()).sum();
    int valueSize = (int) store.listRaw("tasks/").stream().mapToLong(kv -> kv.getValue().size()).average().orElse(300);
    System.out.printf("tasks=%d seconds=%.3f tasks_per_s=%.0f assigned_s=%.3f shoal_txns=%d shoal_writes=%d%n",
        total, seconds, total / seconds, (allAssigned - start) / 1e9, txns, writes);
    System.out.printf("assignment_messages=%d tasks_in_them=%d%n", assignmentMessages.sum(), assignedTasksSent.sum());
    cache.close();

    // etcd alone: as many writes as the run made to task keys, each its own single-put txn of a
    // task-sized value, 64 in flight.
    txns = writes;
    byte[] value = new byte[valueSize];
    Semaphore inFlight = new Semaphore(64);
    var kv = store.client().getKVClient();
    long rawStart = System.nanoTime();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (long i = 0; i < txns; i++) {
      inFlight.acquire();
      var key = io.etcd.jetcd.ByteSequence.from((prefix + "rawbench/" + i).getBytes());
      CompletableFuture<?> f = kv.txn().Then(io.etcd.jetcd.op.Op.put(key, io.etcd.jetcd.ByteSequence.from(value),
          io.etcd.jetcd.options.PutOption.DEFAULT)).commit().whenComplete((r, e) -> inFlight.release());
      pending.add(f);
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    double rawSeconds = (System.nanoTime() - rawStart) / 1e9;
    System.out.printf("raw_txns=%d raw_seconds=%.3f raw_txn_per_s=%.0f time_ratio=%.2f%n", txns, rawSeconds,
        txns / rawSeconds, seconds / rawSeconds);

    // etcd at its best for the same writes: 100 puts per txn, 8 txns in flight (what the
    // scheduler does) while the cluster idles: the floor no orchestrator on this etcd can beat.
    Semaphore batches = new Semaphore(8);
    pending.clear();
    long batchedStart = System.nanoTime();
    for (long from = 0; from < writes; from += 100) {
      batches.acquire();
      List<io.etcd.jetcd.op.Op> ops = new ArrayList<>();
      for (long i = from; i < Math.min(writes, from + 100); i++) {
        ops.add(io.etcd.jetcd.op.Op.put(io.etcd.jetcd.ByteSequence.from((prefix + "rawbatch/" + i).getBytes()),
            io.etcd.jetcd.ByteSequence.from(value), io.etcd.jetcd.options.PutOption.DEFAULT));
      }
      pending.add(kv.txn().Then(ops.toArray(io.etcd.jetcd.op.Op[]::new)).commit()
          .whenComplete((r, e) -> batches.release()));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    double batchedSeconds = (System.nanoTime() - batchedStart) / 1e9;
    System.out.printf("raw_batched_seconds=%.3f raw_batched_writes_per_s=%.0f batched_time_ratio=%.2f%n",
        batchedSeconds, writes / batchedSeconds, seconds / batchedSeconds);
    closing = true;
    beats.shutdownNow();
    agents.forEach(a -> {
      synchronized (a) {
        a.requests.onCompleted();
      }
    });
    channels.forEach(ManagedChannel::shutdownNow);
    store.close();
    System.exit(0);
  }
}
