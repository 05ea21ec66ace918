package io.shoal.scheduler.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.scheduler.Scheduler;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.OwnEtcd;
import io.shoal.testing.ExternalProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduler processes on an etcd of the test's own: health says NOT_SERVING while etcd does not
 * answer (the test freezes it) and SERVING again once it does; the leader entry is SERVING on
 * the leader only.
 */
class SchedulerHealthIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private OwnEtcd etcd;
  private Path workDir;
  private final List<ExternalProcess> processes = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() {
    etcd = EtcdExtension.startOwn("127.0.0.1");
    workDir = ExternalProcess.tempDir("scheduler-health");
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    processes.forEach(ExternalProcess::close);
    etcd.close();
  }

  /** A scheduler process; returns a channel to its gRPC port. */
  private ManagedChannel scheduler(String name) {
    int port = ExternalProcess.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    processes.add(ExternalProcess.start(name, List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.shoal.scheduler.SchedulerMain",
        "--etcd-endpoints", etcd.endpoints(), "--etcd-prefix", "/health-test/",
        "--listen", "127.0.0.1:" + port, "--metrics-port", String.valueOf(ExternalProcess.freePort()),
        "--instance-id", name, "--leader-ttl", "2s", "--insecure"), workDir));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  /** The health of {@code service} ("" for the server), or empty while the server is not up. */
  private static String health(ManagedChannel channel, String service) {
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus().name();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }

  @Test
  void notServingWhileEtcdDoesNotAnswerAndOnlyTheLeaderServesTheLeaderEntry() {
    ManagedChannel first = scheduler("s1");
    await().atMost(WAIT).until(() -> health(first, Scheduler.LEADER_HEALTH).equals(ServingStatus.SERVING.name()));
    ManagedChannel second = scheduler("s2");
    await().atMost(WAIT).until(() -> health(second, "").equals(ServingStatus.SERVING.name()));
    assertThat(health(first, "")).isEqualTo(ServingStatus.SERVING.name());
    assertThat(health(second, Scheduler.LEADER_HEALTH)).isEqualTo(ServingStatus.NOT_SERVING.name());

    etcd.freeze();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(health(first, "")).as("the leader's health").isEqualTo(ServingStatus.NOT_SERVING.name());
      assertThat(health(second, "")).as("the standby's health").isEqualTo(ServingStatus.NOT_SERVING.name());
      // The leader cannot renew its lease: it steps down.
      assertThat(health(first, Scheduler.LEADER_HEALTH)).as("the leader's leadership")
          .isEqualTo(ServingStatus.NOT_SERVING.name());
    });

    etcd.thaw();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(health(first, "")).as("the first's health").isEqualTo(ServingStatus.SERVING.name());
      assertThat(health(second, "")).as("the second's health").isEqualTo(ServingStatus.SERVING.name());
      assertThat(List.of(health(first, Scheduler.LEADER_HEALTH), health(second, Scheduler.LEADER_HEALTH)))
          .containsExactlyInAnyOrder(ServingStatus.SERVING.name(), ServingStatus.NOT_SERVING.name());
    });
  }
}
