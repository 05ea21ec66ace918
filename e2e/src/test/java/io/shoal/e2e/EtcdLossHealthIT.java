package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.OwnEtcd;
import io.shoal.testing.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Control, the registry service and the dispatcher, as processes on an etcd of the test's own,
 * say NOT_SERVING in gRPC health while etcd does not answer (the test freezes it) and SERVING
 * again once it does (the scheduler's own test is SchedulerHealthIT).
 */
class EtcdLossHealthIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<ExternalProcess> processes = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Path dir = ExternalProcess.tempDir("shoal-etcd-health");
  private OwnEtcd etcd;

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    processes.forEach(ExternalProcess::close);
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void theControlPlaneSaysNotServingWhileEtcdIsSilentAndServingOnceItAnswers() throws Exception {
    etcd = EtcdExtension.startOwn("127.0.0.1");
    Path key = dir.resolve("cluster.key");
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    Files.writeString(key, Base64.getEncoder().encodeToString(bytes));
    Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String registry = "127.0.0.1:" + ExternalProcess.freePort();
    Map<String, ManagedChannel> parts = new LinkedHashMap<>();
    parts.put("registry", start("registry", "io.shoal.registry.RegistryMain", registry,
        "--cluster-key-file", key.toString()));
    parts.put("control", start("control", "io.shoal.control.ControlMain", "127.0.0.1:" + ExternalProcess.freePort(),
        "--registry", registry, "--cluster-key-file", key.toString()));
    parts.put("dispatcher", start("dispatcher", "io.shoal.dispatcher.DispatcherMain",
        "127.0.0.1:" + ExternalProcess.freePort(), "--cluster-key-file", key.toString()));

    await().atMost(WAIT).untilAsserted(() -> parts.forEach((name, channel) ->
        assertThat(health(channel)).as(name).isEqualTo("SERVING")));

    etcd.freeze();
    await().atMost(WAIT).untilAsserted(() -> parts.forEach((name, channel) ->
        assertThat(health(channel)).as(name).isEqualTo("NOT_SERVING")));

    etcd.thaw();
    await().atMost(WAIT).untilAsserted(() -> parts.forEach((name, channel) ->
        assertThat(health(channel)).as(name).isEqualTo("SERVING")));
    processes.forEach(p -> assertThat(p.isAlive()).as(p.name() + " still runs").isTrue());
  }

  private ManagedChannel start(String name, String main, String listen, String... flags) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx160m", "-cp", System.getProperty("java.class.path"), main,
        "--etcd-endpoints", etcd.endpoints(), "--etcd-prefix", "/health/", "--listen", listen,
        "--metrics-port", String.valueOf(ExternalProcess.freePort()), "--insecure"));
    command.addAll(List.of(flags));
    processes.add(ExternalProcess.start(name, command, dir));
    int colon = listen.lastIndexOf(':');
    ManagedChannel channel = NettyChannelBuilder.forAddress(listen.substring(0, colon),
        Integer.parseInt(listen.substring(colon + 1))).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  /** The server's health (""), or the call's status code while it is not up. */
  private static String health(ManagedChannel channel) {
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus().name();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
  }
}
