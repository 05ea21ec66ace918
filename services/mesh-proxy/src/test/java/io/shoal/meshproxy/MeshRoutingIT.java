package io.shoal.meshproxy;

import static io.shoal.meshproxy.MeshFixture.ADDR;
import static io.shoal.meshproxy.MeshFixture.WAIT;
import static io.shoal.meshproxy.MeshFixture.binding;
import static io.shoal.meshproxy.MeshFixture.task;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.store.Tables;
import io.shoal.meshproxy.MeshProxyConfig.Limits;
import io.shoal.meshproxy.metrics.PortStats;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.testing.ExternalProcess;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The routing behaviours beyond plain round robin, with a real proxy on real etcd and real
 * backends on loopback: UDP flows, tasks on other nodes, least-conn, PROXY protocol headers,
 * draining a task that leaves, backends that die, ports added and removed by an update; and
 * the proxy's bounds: capped UDP flows and TCP connections, idle and half-closed timeouts.
 */
class MeshRoutingIT {
  @RegisterExtension final MeshFixture mesh = new MeshFixture();

  private void startProxy(Duration drainTimeout) throws Exception {
    startProxy(drainTimeout, Duration.ofSeconds(30));
  }

  private void startProxy(Duration drainTimeout, Duration udpIdleTimeout) throws Exception {
    startProxy(drainTimeout, udpIdleTimeout, Limits.DEFAULT);
  }

  private void startProxy(Limits limits) throws Exception {
    startProxy(Duration.ofSeconds(30), Duration.ofSeconds(30), limits);
  }

  private void startProxy(Duration drainTimeout, Duration udpIdleTimeout, Limits limits)
      throws Exception {
    mesh.start(mesh.config(0)
        .withDrainTimeout(drainTimeout)
        .withUdpIdleTimeout(udpIdleTimeout)
        .withLimits(limits));
  }

  /** The default limits with {@code perPort} UDP flows per port (and room for more overall). */
  private static Limits udpFlowsPerPort(int perPort) {
    Limits d = Limits.DEFAULT;
    return new Limits(d.tcpIdleTimeout(), d.tcpHalfClosedTimeout(), d.connectionsPerPort(),
        d.connections(), perPort, 100, d.evictableAfter());
  }

  /** TCP limits under which no connection is ever quiet long enough to be evicted. */
  private static Limits tcp(Duration idle, Duration halfClosed, int perPort) {
    return tcpEvicting(idle, halfClosed, perPort, Duration.ofHours(1));
  }

  private static Limits tcpEvicting(Duration idle, Duration halfClosed, int perPort,
      Duration evictableAfter) {
    Limits d = Limits.DEFAULT;
    return new Limits(idle, halfClosed, perPort, 100, d.udpFlowsPerPort(), d.udpFlows(),
        evictableAfter);
  }

  /** A UDP service "dns" with one task at {@code backend}; returns its published port's key. */
  private PortKey startUdpService(TestUdpBackend backend, Limits limits) throws Exception {
    int published = ExternalProcess.freePort();
    PortKey key = new PortKey(Protocol.PROTOCOL_UDP, published);
    mesh.create(service("dns", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, udp(published, 53)),
        binding(Protocol.PROTOCOL_UDP, 53, ADDR, backend.port()));
    startProxy(limits);
    mesh.awaitBackends(key, 1);
    return key;
  }

  /** A TCP service "web" with one task at {@code backendPort}; returns its published port. */
  private int startTcpService(int backendPort, Limits limits) throws Exception {
    int published = ExternalProcess.freePort();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, tcp(published, 80)),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, backendPort));
    startProxy(limits);
    mesh.awaitBackends(PortKey.tcp(published), 1);
    return published;
  }

  // --- etcd fixtures, written as control and the dispatcher would ---

  private static PortConfig tcp(int published, int target) {
    return PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(target)
        .setPublishedPort(published).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS).build();
  }

  private static PortConfig udp(int published, int target) {
    return tcp(published, target).toBuilder().setProtocol(Protocol.PROTOCOL_UDP).build();
  }

  /** A UDP service "dns" whose port sends a PROXY v2 header, its one task, and the mesh's address. */
  private record V2Dns(DatagramSocket task, PortKey key, InetSocketAddress mesh) {}

  private V2Dns startV2Dns() throws Exception {
    DatagramSocket task = mesh.closing(datagramSocket(ADDR));
    int published = ExternalProcess.freePort();
    PortKey key = new PortKey(Protocol.PROTOCOL_UDP, published);
    mesh.create(service("dns", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, udpWithV2Header(published)),
        binding(Protocol.PROTOCOL_UDP, 53, ADDR, task.getLocalPort()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(key, 1);
    return new V2Dns(task, key, new InetSocketAddress(ADDR, published));
  }

  private static PortConfig udpWithV2Header(int published) {
    return udp(published, 53).toBuilder().setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V2)
        .build();
  }

  private static Service service(String id, LoadBalancing lb, PortConfig... ports) {
    return Service.newBuilder().setId(id)
        .setSpec(ServiceSpec.newBuilder().setName(id)
            .setEndpoint(EndpointSpec.newBuilder().addAllPorts(List.of(ports))
                .setLoadBalancing(lb)))
        .build();
  }

  /** The task serving backend "a" or "b" of {@link MeshFixture#create} ("web-1" or "web-2"). */
  private static String taskOf(String backend) {
    return "web-" + (backend.equals("a") ? 1 : 2);
  }

  /** The other one of backends "a" and "b". */
  private static String other(String backend) {
    return backend.equals("a") ? "b" : "a";
  }

  private static DatagramSocket datagramSocket(String host) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0));
    socket.setSoTimeout(5000);
    return socket;
  }

  private static void send(DatagramSocket from, byte[] data, SocketAddress to)
      throws IOException {
    from.send(new DatagramPacket(data, data.length, to));
  }

  private static DatagramPacket receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
    socket.receive(packet);
    return packet;
  }

  // --- UDP ---

  @Test
  void eachUdpFlowStaysOnOneTaskAndFlowsAreSpreadRoundRobin() throws Exception {
    TestUdpBackend a = mesh.closing(TestUdpBackend.start("a"));
    TestUdpBackend b = mesh.closing(TestUdpBackend.start("b"));
    int published = ExternalProcess.freePort();
    PortKey key = new PortKey(Protocol.PROTOCOL_UDP, published);
    mesh.create(service("dns", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, udp(published, 53)),
        binding(Protocol.PROTOCOL_UDP, 53, ADDR, a.port()),
        binding(Protocol.PROTOCOL_UDP, 53, ADDR, b.port()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(key, 2);

    TestUdpClient first = mesh.closing(new TestUdpClient(ADDR, published));
    TestUdpClient second = mesh.closing(new TestUdpClient(ADDR, published));
    String one = first.ask("one");
    String two = second.ask("two");

    assertThat(one).matches("[ab]:one");
    assertThat(two).matches("[ab]:two");
    String firstName = one.substring(0, 1);
    assertThat(two).as("the second flow goes to the other task").doesNotStartWith(firstName);
    for (int i = 0; i < 5; i++) {
      assertThat(first.ask("again" + i)).isEqualTo(firstName + ":again" + i);
    }
    PortStats stats = mesh.proxy().metrics().port(key);
    assertThat(stats.accepted()).as("flows").isEqualTo(2);
    assertThat(stats.active()).isEqualTo(2);
    assertThat(stats.received()).isEqualTo("one".length() + "two".length() + 5 * "againN".length());
    assertThat(stats.backendConnects()).as("first replies").isEqualTo(2);
    assertThat(a.senders()).hasSize(1);
    assertThat(b.senders()).hasSize(1);
  }

  @Test
  void aUdpFlowWhoseBackendDiesMovesToTheNextTask() throws Exception {
    TestUdpBackend a = mesh.closing(TestUdpBackend.start("a"));
    TestUdpBackend b = mesh.closing(TestUdpBackend.start("b"));
    int published = ExternalProcess.freePort();
    PortKey key = new PortKey(Protocol.PROTOCOL_UDP, published);
    mesh.create(service("dns", LoadBalancing.LOAD_BALANCING_ROUND_ROBIN, udp(published, 53)),
        binding(Protocol.PROTOCOL_UDP, 53, ADDR, a.port()),
        binding(Protocol.PROTOCOL_UDP, 53, ADDR, b.port()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(key, 2);
    TestUdpClient client = mesh.closing(new TestUdpClient(ADDR, published));
    String answer = client.ask("hello");
    TestUdpBackend serving = answer.startsWith("a:") ? a : b;
    String other = serving == a ? "b" : "a";

    serving.close();

    // The first datagram after the death meets ICMP port unreachable and ends the flow; a
    // later one opens a flow to the other task.
    await().atMost(WAIT).until(() -> (other + ":retry").equals(client.ask("retry")));
    assertThat(mesh.proxy().metrics().port(key).connectErrors()).isPositive();
  }

  @Test
  void anIdleUdpFlowEndsAndTheClientsNextDatagramOpensANewOne() throws Exception {
    TestUdpBackend a = mesh.closing(TestUdpBackend.start("a"));
    int published = ExternalProcess.freePort();
    PortKey key = new PortKey(Protocol.PROTOCOL_UDP, published);
    mesh.create(service("dns", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, udp(published, 53)),
        binding(Protocol.PROTOCOL_UDP, 53, ADDR, a.port()));
    startProxy(Duration.ofSeconds(30), Duration.ofMillis(300));
    mesh.awaitBackends(key, 1);
    TestUdpClient client = mesh.closing(new TestUdpClient(ADDR, published));
    assertThat(client.ask("one")).isEqualTo("a:one");
    PortStats stats = mesh.proxy().metrics().port(key);

    await().atMost(WAIT).until(() -> stats.active() == 0);

    assertThat(client.ask("two")).isEqualTo("a:two");
    assertThat(stats.accepted()).as("a second flow").isEqualTo(2);
    assertThat(a.senders()).as("each flow from its own proxy socket").hasSize(2);
  }

  @Test
  void everyDatagramReachesTheTaskBehindAV2HeaderWithTheClientAndTheRepliesComeBackBare()
      throws Exception {
    V2Dns dns = startV2Dns();
    DatagramSocket task = dns.task();
    PortKey key = dns.key();
    InetSocketAddress meshAddress = dns.mesh();
    DatagramSocket client = mesh.closing(datagramSocket("127.0.0.9"));
    byte[] everyByte = new byte[1024];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }

    for (byte[] question : List.of("one".getBytes(US_ASCII), everyByte, "two".getBytes(US_ASCII))) {
      send(client, question, meshAddress);
      DatagramPacket received = receive(task);
      ProxyV2Datagram got = ProxyV2Datagram.parse(received);

      assertThat(got.family()).as("UDP over IPv4").isEqualTo(0x12);
      assertThat(got.source()).as("the client").isEqualTo(client.getLocalSocketAddress());
      assertThat(got.destination()).as("the published address").isEqualTo(meshAddress);
      assertThat(got.payload()).as("the client's datagram after the header").isEqualTo(question);

      byte[] answer = ("answer to " + question.length + " bytes").getBytes(US_ASCII);
      send(task, answer, received.getSocketAddress());
      DatagramPacket reply = receive(client);
      assertThat(reply.getSocketAddress()).isEqualTo(meshAddress);
      assertThat(Arrays.copyOfRange(reply.getData(), reply.getOffset(), reply.getLength()))
          .as("the task's reply, without a header").isEqualTo(answer);
    }
    assertThat(mesh.proxy().metrics().port(key).accepted()).as("one flow").isEqualTo(1);
  }

  @Test
  void aDatagramTooLargeToCarryTheHeaderIsDroppedAndItsFlowCarriesOn() throws Exception {
    V2Dns dns = startV2Dns();
    DatagramSocket task = dns.task();
    PortKey key = dns.key();
    InetSocketAddress meshAddress = dns.mesh();
    DatagramSocket client = mesh.closing(datagramSocket("127.0.0.9"));
    PortStats stats = mesh.proxy().metrics().port(key);
    // The largest UDP/IPv4 payload is 65,507 bytes; the IPv4 header takes 28 of them.
    byte[] largest = new byte[65_507 - 28];
    Arrays.fill(largest, (byte) 0x5A);
    byte[] tooLarge = new byte[largest.length + 1];

    send(client, tooLarge, meshAddress);
    await().atMost(WAIT).until(() -> stats.received() == tooLarge.length);
    send(client, largest, meshAddress);

    ProxyV2Datagram got = ProxyV2Datagram.parse(receive(task));
    assertThat(got.source()).isEqualTo(client.getLocalSocketAddress());
    assertThat(got.payload()).as("the largest that fits, the first to arrive").isEqualTo(largest);
    assertThat(stats.accepted()).as("the same flow").isEqualTo(1);
    assertThat(stats.connectErrors()).isZero();
  }

  // --- TCP ---

  @Test
  void connectionsReachTasksOnOtherNodes() throws Exception {
    TestBackend far = mesh.closing(TestBackend.start("far", "127.0.0.3"));
    TestBackend farther = mesh.closing(TestBackend.start("farther", "127.0.0.4"));
    int published = ExternalProcess.freePort();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, tcp(published, 80)),
        binding(Protocol.PROTOCOL_TCP, 80, "127.0.0.3", far.port()),
        binding(Protocol.PROTOCOL_TCP, 80, "127.0.0.4", farther.port()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(PortKey.tcp(published), 2);

    Set<String> names = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      names.add(TestClient.greeting(ADDR, published));
    }

    assertThat(names).containsExactlyInAnyOrder("far", "farther");
  }

  @Test
  void leastConnSendsANewConnectionToTheTaskWithFewerOpenOnes() throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    TestBackend b = mesh.closing(TestBackend.start("b"));
    int published = ExternalProcess.freePort();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_LEAST_CONN, tcp(published, 80)),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, a.port()),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, b.port()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(PortKey.tcp(published), 2);
    TestClient c1 = mesh.closing(TestClient.connect(ADDR, published));
    TestClient c2 = mesh.closing(TestClient.connect(ADDR, published));
    String n1 = c1.readLine();
    String n2 = c2.readLine();
    assertThat(Set.of(n1, n2)).containsExactlyInAnyOrder("a", "b");

    // The second connection's task loses it. After a full cycle round robin would start again
    // at the first connection's task (wherever the rotation began); least-conn must pick n2's.
    c2.close();
    await().atMost(WAIT).until(() -> mesh.proxy().connections().active(taskOf(n2)) == 0);
    TestClient c3 = mesh.closing(TestClient.connect(ADDR, published));

    assertThat(c3.readLine()).isEqualTo(n2);
    assertThat(mesh.proxy().connections().active("web-1")).isEqualTo(1);
    assertThat(mesh.proxy().connections().active("web-2")).isEqualTo(1);
  }

  @Test
  void aV1HeaderWithTheClientsAddressReachesTheTaskBeforeTheClientsBytes() throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    int published = ExternalProcess.freePort();
    PortConfig port = tcp(published, 80).toBuilder()
        .setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V1).build();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, port),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, a.port()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(PortKey.tcp(published), 1);

    try (Socket raw = new Socket()) {
      raw.bind(new InetSocketAddress("127.0.0.9", 0));
      raw.connect(new InetSocketAddress(ADDR, published), 5000);
      raw.setSoTimeout(5000);
      TestClient client = TestClient.wrap(raw);
      client.writeLine("hello");

      assertThat(client.readLine()).isEqualTo("a");
      // TestBackend answers each line it reads (its reader takes CRLF as one line end): the
      // header is its first line, before the client's.
      assertThat(client.readLine()).isEqualTo(
          "a:PROXY TCP4 127.0.0.9 " + ADDR + " " + raw.getLocalPort() + " " + published);
      assertThat(client.readLine()).isEqualTo("a:hello");
    }
  }

  @Test
  void aV2HeaderWithTheClientsAddressReachesTheTask() throws Exception {
    ServerSocket backend = mesh.closing(new ServerSocket(0, 50, InetAddress.getByName(ADDR)));
    int published = ExternalProcess.freePort();
    PortConfig port = tcp(published, 80).toBuilder()
        .setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V2).build();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, port),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, backend.getLocalPort()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(PortKey.tcp(published), 1);
    CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
      try (Socket s = backend.accept()) {
        s.setSoTimeout(5000);
        byte[] header = new byte[16 + 12 + 2];
        new DataInputStream(s.getInputStream()).readFully(header);
        return header;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    try (Socket client = new Socket()) {
      client.bind(new InetSocketAddress("127.0.0.9", 0));
      client.connect(new InetSocketAddress(ADDR, published), 5000);
      OutputStream out = client.getOutputStream();
      out.write("hi".getBytes(US_ASCII));
      out.flush();
      byte[] got = received.get(10, TimeUnit.SECONDS);

      ByteBuffer expected = ByteBuffer.allocate(30)
          .put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A})
          .put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
          .put(new byte[] {127, 0, 0, 9}).put(new byte[] {127, 0, 0, 1})
          .putShort((short) client.getLocalPort()).putShort((short) published)
          .put("hi".getBytes(US_ASCII));
      assertThat(got).isEqualTo(expected.array());
    }
  }

  @Test
  void aTaskLeavingTheRoutesKeepsItsOpenConnectionsUntilTheDrainTimeout() throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    TestBackend b = mesh.closing(TestBackend.start("b"));
    int published = ExternalProcess.freePort();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, tcp(published, 80)),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, a.port()),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, b.port()));
    startProxy(Duration.ofSeconds(2));
    mesh.awaitBackends(PortKey.tcp(published), 2);
    // Whichever task the rotation starts at is the one that leaves.
    TestClient held = mesh.closing(TestClient.connect(ADDR, published));
    String leaving = held.readLine();
    String staying = other(leaving);

    mesh.setDesiredState(taskOf(leaving), TaskState.TASK_STATE_SHUTDOWN);
    mesh.awaitBackends(PortKey.tcp(published), 1);
    await().atMost(WAIT).until(() -> mesh.proxy().connections().drainingTasks().contains(taskOf(leaving)));

    // Drained, not cut: the open connection still works, new ones go to the other task only.
    held.writeLine("still there?");
    assertThat(held.readLine()).isEqualTo(leaving + ":still there?");
    for (int i = 0; i < 2; i++) {
      assertThat(TestClient.greeting(ADDR, published)).isEqualTo(staying);
    }
    // Bounded: the drain timeout closes it.
    await().atMost(WAIT).untilAsserted(() -> assertThat(held.readLine()).isNull());
    await().atMost(WAIT).until(() -> mesh.proxy().connections().active(taskOf(leaving)) == 0);
  }

  @Test
  void aBackendThatDiesMidRunLosesItsClientsAndTheNextConnectionsGoElsewhere()
      throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    TestBackend b = mesh.closing(TestBackend.start("b"));
    int published = ExternalProcess.freePort();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, tcp(published, 80)),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, a.port()),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, b.port()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(PortKey.tcp(published), 2);
    // Whichever backend the rotation starts at is the one that dies.
    TestClient client = mesh.closing(TestClient.connect(ADDR, published));
    String dying = client.readLine();

    (dying.equals("a") ? a : b).close();

    assertThat(client.readLine()).as("the dead backend's client is closed").isNull();
    for (int i = 0; i < 4; i++) {
      assertThat(TestClient.greeting(ADDR, published)).isEqualTo(other(dying));
    }
    // Four connections over a full cycle twice: two start at the dead backend, whatever the start.
    assertThat(mesh.proxy().metrics().port(PortKey.tcp(published)).connectErrors()).isEqualTo(2);
  }

  @Test
  void portsAddedAndRemovedByAnUpdateOpenAndCloseTheirListeners() throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    TestUdpBackend u = mesh.closing(TestUdpBackend.start("u"));
    int first = ExternalProcess.freePort();
    int second = ExternalProcess.freePort();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, tcp(first, 80)),
        binding(Protocol.PROTOCOL_TCP, 80, ADDR, a.port()));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(PortKey.tcp(first), 1);

    // --publish-rm first --publish-add second:80 --publish-add second:53/udp, and the rolled task.
    Service web = mesh.store().get(Tables.SERVICES, "web").orElseThrow();
    Service updated = web.toBuilder().setSpec(web.getSpec().toBuilder().setEndpoint(
        EndpointSpec.newBuilder().addPorts(tcp(second, 80)).addPorts(udp(second, 53)))).build();
    Task old = mesh.store().get(Tables.TASKS, "web-1").orElseThrow();
    mesh.store().txn().update(Tables.SERVICES, "web", updated, web.getVersion())
        .update(Tables.TASKS, "web-1",
            old.toBuilder().setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build(),
            old.getVersion())
        .create(Tables.TASKS, "web-2", task("web-2", "web", 1,
            binding(Protocol.PROTOCOL_TCP, 80, ADDR, a.port()),
            binding(Protocol.PROTOCOL_UDP, 53, ADDR, u.port())))
        .commit();

    mesh.awaitBackends(PortKey.tcp(second), 1);
    mesh.awaitBackends(new PortKey(Protocol.PROTOCOL_UDP, second), 1);
    await().atMost(WAIT).until(() -> !ExternalProcess.canConnect(ADDR, first));
    assertThat(TestClient.greeting(ADDR, second)).isEqualTo("a");
    try (TestUdpClient client = new TestUdpClient(ADDR, second)) {
      assertThat(client.ask("q")).isEqualTo("u:q");
    }
    assertThat(mesh.proxy().routes().current().route(PortKey.tcp(first))).isNull();
  }

  // --- bounds ---

  @Test
  void aFloodOfUdpSourcesIsCappedAndAFlowInProgressIsStillServed() throws Exception {
    TestUdpBackend a = mesh.closing(TestUdpBackend.start("a"));
    PortKey key = startUdpService(a, udpFlowsPerPort(8));
    int published = key.port();
    PortStats stats = mesh.proxy().metrics().port(key);
    TestUdpClient regular = mesh.closing(new TestUdpClient(ADDR, published));
    assertThat(regular.ask("first")).isEqualTo("a:first");
    InetSocketAddress meshAddress = new InetSocketAddress(ADDR, published);
    int spoofed = 60;

    // Each datagram from its own loopback address, as a spoofer's would be.
    for (int i = 1; i <= spoofed; i++) {
      try (DatagramSocket source = new DatagramSocket(new InetSocketAddress("127.0.7." + i, 0))) {
        send(source, "x".getBytes(US_ASCII), meshAddress);
      }
      if (i % 10 == 0) {
        assertThat(regular.ask("during " + i)).isEqualTo("a:during " + i);
      }
      assertThat(stats.active()).as("flows open").isLessThanOrEqualTo(8);
    }

    // The first 7 fill the port; every later one was turned away or evicted a quiet flow.
    await().atMost(WAIT).until(() -> stats.overLimit() + stats.evicted() >= spoofed - 7);
    assertThat(stats.active()).isLessThanOrEqualTo(8);
    assertThat(regular.ask("after")).isEqualTo("a:after");
  }

  @Test
  void aFullFlowTableEvictsTheFlowQuietLongestForANewClient() throws Exception {
    TestUdpBackend a = mesh.closing(TestUdpBackend.start("a"));
    PortKey key = startUdpService(a, udpFlowsPerPort(2));
    PortStats stats = mesh.proxy().metrics().port(key);
    TestUdpClient first = mesh.closing(new TestUdpClient(ADDR, key.port()));
    TestUdpClient second = mesh.closing(new TestUdpClient(ADDR, key.port()));
    assertThat(first.ask("one")).isEqualTo("a:one");
    assertThat(second.ask("two")).isEqualTo("a:two");
    TestUdpClient third = mesh.closing(new TestUdpClient(ADDR, key.port()));

    // Turned away while both flows are younger than a second; then the first one, quiet
    // longest, makes room.
    await().atMost(WAIT).until(() -> "a:three".equals(third.ask("three")));

    assertThat(stats.evicted()).isEqualTo(1);
    assertThat(stats.active()).isEqualTo(2);
    assertThat(second.ask("still")).as("the other flow stays").isEqualTo("a:still");
    assertThat(stats.accepted()).isEqualTo(3);
  }

  @Test
  void connectionsAboveThePortsCapAreResetAndCounted() throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    int published = startTcpService(a.port(), tcp(Duration.ofMinutes(10), Duration.ofSeconds(30), 2));
    PortStats stats = mesh.proxy().metrics().port(PortKey.tcp(published));
    TestClient first = mesh.closing(TestClient.connect(ADDR, published));
    TestClient second = mesh.closing(TestClient.connect(ADDR, published));
    assertThat(first.readLine()).isEqualTo("a");
    assertThat(second.readLine()).isEqualTo("a");

    assertThat(TestClient.turnedAway(ADDR, published)).as("a third connection").isTrue();
    assertThat(stats.overLimit()).isEqualTo(1);
    assertThat(a.accepted()).as("no backend connection for it").isEqualTo(2);

    first.close();
    await().atMost(WAIT).until(() -> stats.active() == 1);
    assertThat(TestClient.greeting(ADDR, published)).as("a closed one frees its slot").isEqualTo("a");
  }

  @Test
  void aFullPortHandsTheSlotOfTheConnectionQuietLongestToANewClient() throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    int published = startTcpService(a.port(),
        tcpEvicting(Duration.ofMinutes(10), Duration.ofSeconds(30), 2, Duration.ofMillis(500)));
    PortStats stats = mesh.proxy().metrics().port(PortKey.tcp(published));
    TestClient quiet = mesh.closing(TestClient.connect(ADDR, published));
    assertThat(quiet.readLine()).isEqualTo("a");
    TestClient busy = mesh.closing(TestClient.connect(ADDR, published));
    assertThat(busy.readLine()).isEqualTo("a");

    // The busy one talks all along; the newcomer is turned away until the quiet one has said
    // nothing for half a second, then takes its slot.
    AtomicReference<TestClient> newcomer = new AtomicReference<>();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      busy.writeLine("ping");
      assertThat(busy.readLine()).isEqualTo("a:ping");
      newcomer.set(TestClient.greetedBy("a", ADDR, published));
      return newcomer.get() != null;
    });
    mesh.closing(newcomer.get());

    assertThat(quiet.closedWithoutData()).as("the quiet connection made room").isTrue();
    assertThat(stats.evicted()).isEqualTo(1);
    busy.writeLine("still");
    assertThat(busy.readLine()).as("the busy connection stays").isEqualTo("a:still");
    newcomer.get().writeLine("hello");
    assertThat(newcomer.get().readLine()).isEqualTo("a:hello");
    await().atMost(WAIT).until(() -> stats.active() == 2);
  }

  @Test
  void aConnectionQuietForTheIdleTimeoutIsClosed() throws Exception {
    TestBackend a = mesh.closing(TestBackend.start("a"));
    int published = startTcpService(a.port(), tcp(Duration.ofMillis(300), Duration.ofSeconds(30), 10));
    PortStats stats = mesh.proxy().metrics().port(PortKey.tcp(published));
    TestClient client = mesh.closing(TestClient.connect(ADDR, published));
    assertThat(client.readLine()).isEqualTo("a");
    client.writeLine("ping");
    assertThat(client.readLine()).isEqualTo("a:ping");

    // Then nothing either way: the proxy closes it (the client's read returns end of stream
    // long before its own 5 s timeout).
    assertThat(client.closedWithoutData()).isTrue();
    await().atMost(WAIT).until(() -> stats.idleClosed() == 1 && stats.active() == 0);
  }

  @Test
  void aHalfClosedConnectionWhoseBackendNeverAnswersIsClosedAfterTheHalfClosedTimeout()
      throws Exception {
    // A backend whose kernel completes every handshake and that never reads, answers or closes.
    ServerSocket silent = mesh.closing(new ServerSocket(0, 50, InetAddress.getByName(ADDR)));
    int published = startTcpService(silent.getLocalPort(),
        tcp(Duration.ofMinutes(10), Duration.ofMillis(300), 10));
    PortStats stats = mesh.proxy().metrics().port(PortKey.tcp(published));
    TestClient client = mesh.closing(TestClient.connect(ADDR, published));
    client.writeLine("request");
    await().atMost(WAIT).until(() -> stats.backendConnects() == 1);

    client.shutdownOutput();

    assertThat(client.closedWithoutData()).isTrue();
    await().atMost(WAIT).until(() -> stats.halfClosedExpired() == 1 && stats.active() == 0);
    assertThat(stats.idleClosed()).isZero();
  }

  @Test
  void aClientTurnedAwayIsCounted() throws Exception {
    int published = ExternalProcess.freePort();
    mesh.create(service("web", LoadBalancing.LOAD_BALANCING_UNSPECIFIED, tcp(published, 80)));
    startProxy(Duration.ofSeconds(30));
    mesh.awaitBackends(PortKey.tcp(published), 0);

    try (TestClient client = TestClient.connect(ADDR, published)) {
      assertThat(client.closedWithoutData()).isTrue();
    }
    await().atMost(WAIT).until(() -> mesh.proxy().metrics().port(PortKey.tcp(published)).refused() == 1);
  }
}
