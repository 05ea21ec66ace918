package io.shoal.meshproxy;

import static io.shoal.meshproxy.MeshFixture.ADDR;
import static io.shoal.meshproxy.MeshFixture.WAIT;
import static io.shoal.meshproxy.MeshFixture.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.Epoll;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.TaskState;
import io.shoal.common.store.Tables;
import io.shoal.meshproxy.metrics.PortStats;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.testing.ExternalProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole proxy against real etcd and real TCP backends: services and tasks are written to
 * etcd as the control plane would, and clients connect to the published ports on loopback.
 */
class MeshProxyIT {
  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  private void startProxy(int metricsPort) throws Exception {
    mesh.start(mesh.config(metricsPort));
  }

  private TestBackend backend(String name) {
    return mesh.closing(TestBackend.start(name));
  }

  // --- etcd fixtures, written as control and the dispatcher would ---

  private static Service service(String id, int targetPort, int publishedPort) {
    return Service.newBuilder().setId(id)
        .setSpec(ServiceSpec.newBuilder().setName(id)
            .setEndpoint(EndpointSpec.newBuilder().addPorts(PortConfig.newBuilder()
                .setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(targetPort)
                .setPublishedPort(publishedPort)
                .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS))))
        .build();
  }

  /** Creates a service publishing {@code published} -> 80 with one RUNNING task per backend port. */
  private void publish(String serviceId, int published, int... backendPorts) {
    mesh.create(service(serviceId, 80, published), IntStream.of(backendPorts)
        .mapToObj(port -> binding(Protocol.PROTOCOL_TCP, 80, ADDR, port)).toArray(PortBinding[]::new));
  }

  private void awaitBackends(int published, int count) {
    mesh.awaitBackends(PortKey.tcp(published), count);
  }

  private static List<String> greetings(int published, int connections) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      names.add(TestClient.greeting(ADDR, published));
    }
    return names;
  }

  // --- the scenarios ---

  @Test
  void clientsReachTheBackendsRoundRobinInBothDirections() throws Exception {
    TestBackend a = backend("a");
    TestBackend b = backend("b");
    int published = ExternalProcess.freePort();
    publish("web", published, a.port(), b.port());
    startProxy(0);
    awaitBackends(published, 2);

    List<String> names = greetings(published, 6);

    assertThat(Collections.frequency(names, "a")).isEqualTo(3);
    assertThat(Collections.frequency(names, "b")).isEqualTo(3);
    for (int i = 1; i < names.size(); i++) {
      assertThat(names.get(i)).as("connection %d of %s", i, names).isNotEqualTo(names.get(i - 1));
    }
    try (TestClient client = TestClient.connect(ADDR, published)) {
      String name = client.readLine();
      client.writeLine("ping");
      assertThat(client.readLine()).isEqualTo(name + ":ping");
    }
    PortStats stats = mesh.proxy().metrics().port(PortKey.tcp(published));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(stats.accepted()).isEqualTo(7);
      assertThat(stats.active()).isZero();
    });
    assertThat(stats.received()).isEqualTo("ping\n".length());
    assertThat(stats.sent()).isEqualTo(7 * "a\n".length() + "a:ping\n".length());
    assertThat(stats.connectErrors()).isZero();
    assertThat(mesh.proxy().eventLoops().transport().name())
        .isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
  }

  @Test
  void aClientThatStopsSendingStillGetsTheAnswers() throws Exception {
    TestBackend a = backend("a");
    int published = ExternalProcess.freePort();
    publish("web", published, a.port());
    startProxy(0);
    awaitBackends(published, 1);

    try (TestClient client = TestClient.connect(ADDR, published)) {
      client.writeLine("one");
      client.writeLine("two");
      client.shutdownOutput();

      assertThat(client.readLine()).isEqualTo("a");
      assertThat(client.readLine()).isEqualTo("a:one");
      assertThat(client.readLine()).isEqualTo("a:two");
      assertThat(client.readLine()).as("the backend closes after the client's FIN").isNull();
    }
    await().atMost(WAIT).until(() -> mesh.proxy().metrics().port(PortKey.tcp(published)).active() == 0);
  }

  @Test
  void aLargeAnswerAfterTheClientsFinIsDeliveredWithBackPressure() throws Exception {
    TestBackend a = backend("a");
    int published = ExternalProcess.freePort();
    publish("web", published, a.port());
    startProxy(0);
    awaitBackends(published, 1);
    int size = 16 * 1024 * 1024;

    // A small receive window makes the proxy wait for the client to read, again and again.
    try (TestClient client = TestClient.connect(ADDR, published, 8 * 1024)) {
      assertThat(client.readLine()).isEqualTo("a");
      client.writeLine("bytes " + size);
      client.shutdownOutput();

      assertThat(client.drain()).isEqualTo(size + 1);
    }
    assertThat(mesh.proxy().metrics().port(PortKey.tcp(published)).sent())
        .isEqualTo("a\n".length() + size + 1);
  }

  @Test
  void aTaskWhoseDesiredStateTurnsShutdownGetsNoNewConnections() throws Exception {
    TestBackend a = backend("a");
    TestBackend b = backend("b");
    int published = ExternalProcess.freePort();
    publish("web", published, a.port(), b.port());
    startProxy(0);
    awaitBackends(published, 2);
    assertThat(greetings(published, 2)).containsExactlyInAnyOrder("a", "b");

    // The scheduler asks task 2 (backend b) to stop; the agent has not stopped it yet.
    mesh.setDesiredState("web-2", TaskState.TASK_STATE_SHUTDOWN);
    awaitBackends(published, 1);
    int acceptedByB = b.accepted();

    assertThat(greetings(published, 4)).containsOnly("a");
    assertThat(b.accepted()).isEqualTo(acceptedByB);
  }

  @Test
  void aBackendThatRefusesIsSkipped() throws Exception {
    TestBackend live = backend("live");
    int refusing = ExternalProcess.freePort();
    int published = ExternalProcess.freePort();
    publish("web", published, refusing, live.port());
    startProxy(0);
    awaitBackends(published, 2);

    assertThat(greetings(published, 4)).containsOnly("live");

    // Round robin starts at the refusing backend every other connection.
    assertThat(mesh.proxy().metrics().port(PortKey.tcp(published)).connectErrors()).isEqualTo(2);
  }

  @Test
  void aNewlyPublishedServiceGetsAListenerAndAnUnpublishedOneLosesIt() throws Exception {
    TestBackend a = backend("a");
    int published = ExternalProcess.freePort();
    startProxy(0);
    assertThat(ExternalProcess.canConnect(ADDR, published)).isFalse();

    publish("web", published, a.port());

    await().atMost(WAIT).until(() -> ExternalProcess.canConnect(ADDR, published));
    awaitBackends(published, 1);
    assertThat(TestClient.greeting(ADDR, published)).isEqualTo("a");

    Service web = mesh.store().get(Tables.SERVICES, "web").orElseThrow();
    Service unpublished = web.toBuilder()
        .setSpec(web.getSpec().toBuilder().clearEndpoint()).build();
    mesh.store().txn().update(Tables.SERVICES, "web", unpublished, web.getVersion()).commit();

    await().atMost(WAIT).until(() -> !ExternalProcess.canConnect(ADDR, published));
    assertThat(mesh.proxy().routes().current().route(PortKey.tcp(published))).isNull();
    assertThat(mesh.proxy().listeners().openPorts()).doesNotContain(PortKey.tcp(published));
  }

  @Test
  void aDeletedServiceLosesItsListener() throws Exception {
    TestBackend a = backend("a");
    int published = ExternalProcess.freePort();
    publish("web", published, a.port());
    startProxy(0);
    awaitBackends(published, 1);

    Service web = mesh.store().get(Tables.SERVICES, "web").orElseThrow();
    mesh.store().txn().delete(Tables.SERVICES, "web", web.getVersion()).commit();

    await().atMost(WAIT).until(() -> !ExternalProcess.canConnect(ADDR, published));
  }

  @Test
  void aConnectionWithoutBackendIsClosedAtOnce() throws Exception {
    int published = ExternalProcess.freePort();
    publish("web", published);
    startProxy(0);
    awaitBackends(published, 0);

    long start = System.nanoTime();
    try (TestClient client = TestClient.connect(ADDR, published)) {
      assertThat(client.closedWithoutData()).isTrue();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aPortThatCannotBeBoundIsReportedAndTheOthersAreServed() throws Exception {
    TestBackend a = backend("a");
    TestBackend b = backend("b");
    ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName(ADDR));
    int taken = squatter.getLocalPort();
    int free = ExternalProcess.freePort();
    publish("web", taken, a.port());
    publish("api", free, b.port());
    startProxy(0);

    awaitBackends(free, 1);
    assertThat(TestClient.greeting(ADDR, free)).isEqualTo("b");
    await().atMost(WAIT).until(() -> mesh.proxy().listeners().failedPorts().contains(PortKey.tcp(taken)));

    // Once the other process lets the port go, the retry picks it up.
    squatter.close();
    awaitBackends(taken, 1);
    assertThat(TestClient.greeting(ADDR, taken)).isEqualTo("a");
    assertThat(mesh.proxy().listeners().failedPorts()).isEmpty();
  }

  @Test
  void metricsAreExportedPerPublishedPort() throws Exception {
    TestBackend a = backend("a");
    int published = ExternalProcess.freePort();
    int metricsPort = ExternalProcess.freePort();
    publish("web", published, a.port());
    startProxy(metricsPort);
    awaitBackends(published, 1);
    assertThat(TestClient.greeting(ADDR, published)).isEqualTo("a");

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest scrape = HttpRequest.newBuilder(
        URI.create("http://" + ADDR + ":" + metricsPort + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build();
    await().atMost(WAIT).untilAsserted(() -> {
      String body = http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
      assertThat(body).containsPattern(
          "shoal_mesh_connections_accepted_total\\{[^}]*server_port=\"" + published + "\"[^}]*} 1");
      assertThat(body).containsPattern(
          "shoal_mesh_sent_bytes_total\\{[^}]*server_port=\"" + published + "\"[^}]*} 2");
      assertThat(body).containsPattern("shoal_mesh_backend_connect_duration_seconds_count"
          + "\\{[^}]*server_port=\"" + published + "\"[^}]*} 1");
      assertThat(body).contains("shoal_mesh_received_bytes_total",
          "shoal_mesh_backend_connect_errors_total", "shoal_mesh_connections_active",
          "shoal_mesh_connections_refused_total");
    });
  }

  @Test
  void grpcHealthAnswersServing() throws Exception {
    startProxy(0);
    ManagedChannel channel = NettyChannelBuilder.forAddress(ADDR, mesh.proxy().grpcPort())
        .usePlaintext().build();
    try {
      var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      assertThat(health.getStatus()).isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
