import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.EventFilter;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.WatchEventsRequest;
import io.shoal.api.v1.WatchEventsResponse;
import io.shoal.cli.client.ControlChannels;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The event stream's costs on a running cluster (bench/events.sh):
 *
 * <ol>
 *   <li>Latency: ROUNDS services created one after another (replicas 0: no tasks, a quiet
 *       cluster); for each, from the CreateService call's start to its {@code service create}
 *       event at a subscriber: the commit lies within the call, so this bounds commit-to-event from
 *       above. Baseline in the same run: CreateService's own round trip through control to etcd.
 *   <li>Memory: control's heap after a full GC with no subscriber, then with SUBSCRIBERS open
 *       and live (each has received an event), read with jcmd from control's pid. A caller that
 *       asks for the kept events (--since) also holds, while they go out, what gRPC has queued
 *       for it; that passes once it has read them.
 * </ol>
 *
 *   java -cp CLI_CLASSPATH bench/EventsBench.java CONTROL_PID [ROUNDS] [SUBSCRIBERS]
 */
public final class EventsBench {
  public static void main(String[] args) throws Exception {
    long controlPid = Long.parseLong(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    String prefix = "evbench-" + ProcessHandle.current().pid() + "-";
    try (ControlChannels channels = new ControlChannels(System.getenv())) {
      var channel = channels.apply(System.getenv().getOrDefault("SHOAL_HOST", "127.0.0.1:7400"));
      var stub = ControlServiceGrpc.newBlockingStub(channel);
      Map<String, Long> arrived = new ConcurrentHashMap<>();
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      StreamObserver<WatchEventsResponse> watcher = new StreamObserver<>() {
        @Override public void onNext(WatchEventsResponse r) {
          if (r.getEvent().getAction().equals("create")) {
            arrived.put(r.getEvent().getName(), System.nanoTime());
          }
        }
        @Override public void onError(Throwable t) {
          if (!done.get()) {
            System.err.println("bench: the event stream ended: " + t);
          }
        }
        @Override public void onCompleted() {}
      };
      ControlServiceGrpc.newStub(channel).watchEvents(WatchEventsRequest.newBuilder()
          .addFilters(EventFilter.newBuilder().setKey("type").setValue("service")).build(), watcher);
      Thread.sleep(500); // the stream is open before the first create

      long[] event = new long[rounds];
      long[] create = new long[rounds];
      List<String> names = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        String name = prefix + i;
        names.add(name);
        long t0 = System.nanoTime();
        stub.createService(CreateServiceRequest.newBuilder().setNoResolveImage(true).setSpec(ServiceSpec.newBuilder()
            .setName(name).setReplicated(ReplicatedService.newBuilder().setReplicas(0))
            .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/bench/none:1"))).build());
        long t1 = System.nanoTime();
        long deadline = t1 + TimeUnit.SECONDS.toNanos(10);
        while (!arrived.containsKey(name) && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        Long t2 = arrived.get(name);
        if (t2 == null) {
          throw new IllegalStateException("no create event for " + name + " within 10 s");
        }
        create[i] = t1 - t0;
        // From the call's start: the commit lies between t0 and t1, so this bounds the latency
        // from the commit to the subscriber from above (the event often comes before the answer).
        event[i] = t2 - t0;
      }
      for (String name : names) {
        stub.deleteService(DeleteServiceRequest.newBuilder().setService(name).build());
      }
      double eventP99 = percentile(event, 99) / 1e6;
      double createP99 = percentile(create, 99) / 1e6;
      System.out.printf("events latency: %d creates; event at the subscriber, from the create call's start (an"
          + " upper bound of commit to event) p50 %.2f ms p99 %.2f ms; baseline CreateService round trip p50 %.2f ms"
          + " p99 %.2f ms; ratio (event p99 / create p99) %.2f%n",
          rounds, percentile(event, 50) / 1e6, eventP99, percentile(create, 50) / 1e6, createP99, eventP99 / createP99);

      long before = heapUsed(controlPid);
      CountDownLatch fed = new CountDownLatch(subscribers);
      List<io.grpc.Context.CancellableContext> open = new ArrayList<>();
      for (int i = 0; i < subscribers; i++) {
        io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
        open.add(ctx);
        ctx.run(() -> ControlServiceGrpc.newStub(channel).watchEvents(WatchEventsRequest.getDefaultInstance(),
            new StreamObserver<>() {
              private boolean counted;
              @Override public void onNext(WatchEventsResponse r) {
                if (!counted) {
                  counted = true;
                  fed.countDown();
                }
              }
              @Override public void onError(Throwable t) {
                if (!counted) {
                  System.err.println("bench: a subscriber's stream ended before its first event: " + t);
                }
              }
              @Override public void onCompleted() {}
            }));
      }
      // Every stream open and carrying: one more service makes each of them send an event.
      Thread.sleep(1000);
      String last = prefix + "subscribers";
      stub.createService(CreateServiceRequest.newBuilder().setNoResolveImage(true).setSpec(ServiceSpec.newBuilder()
          .setName(last).setReplicated(ReplicatedService.newBuilder().setReplicas(0))
          .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/bench/none:1"))).build());
      if (!fed.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not every subscriber got an event within 60 s");
      }
      long with = heapUsed(controlPid);
      System.out.printf("events memory: control heap after GC %.1f MiB with no subscriber, %.1f MiB with %d"
          + " (+%.1f MiB; ratio %.2f)%n", before / 1048576.0, with / 1048576.0, subscribers,
          (with - before) / 1048576.0, (double) with / before);
      done.set(true);
      open.forEach(c -> c.cancel(null));
      stub.deleteService(DeleteServiceRequest.newBuilder().setService(last).build());
    }
  }

  private static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** Control's used heap after a full GC, from {@code jcmd PID GC.heap_info}. */
  private static long heapUsed(long pid) throws Exception {
    run("jcmd", String.valueOf(pid), "GC.run");
    String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
    // Each generation's (or region set's) "total NK, used NK"; Metaspace is not heap.
    var m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("no heap figure in jcmd's answer:\n" + info);
    }
    return used * 1024;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
