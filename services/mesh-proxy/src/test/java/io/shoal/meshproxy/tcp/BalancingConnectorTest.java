package io.shoal.meshproxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.shoal.meshproxy.MeshProxyConfig;
import io.shoal.meshproxy.TestBackend;
import io.shoal.meshproxy.balance.BackendChooser;
import io.shoal.meshproxy.balance.BackendConnections;
import io.shoal.meshproxy.metrics.PortStats;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.Backend;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.meshproxy.routes.Route;
import io.shoal.meshproxy.transport.Transport;
import io.shoal.testing.ExternalProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connector against real sockets on loopback (no etcd): order, skipping, giving up. */
class BalancingConnectorTest {
  private static final PortKey KEY = PortKey.tcp(8080);

  private final Transport transport = Transport.detect();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private EventLoopGroup loop;
  private BalancingConnector connector;
  private BackendConnections connections;
  private PublishedPort port;
  private ServerSocket front;

  @BeforeEach
  void start() throws Exception {
    loop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
    MeshProxyConfig config = new MeshProxyConfig(InetAddress.getLoopbackAddress(), "unused",
        "/unused/", new InetSocketAddress(0), 0, Duration.ofSeconds(2));
    connections = new BackendConnections(Duration.ofSeconds(30));
    connector = new BalancingConnector(transport, PooledByteBufAllocator.DEFAULT, config,
        new BackendChooser(connections), connections);
    port = new PublishedPort(KEY, new PortStats(KEY), 0);
    front = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    front.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private TestBackend backend(String name) {
    TestBackend b = TestBackend.start(name);
    closeables.add(b);
    return b;
  }

  private static Backend at(String taskId, int port) {
    return new Backend(taskId, new InetSocketAddress("127.0.0.1", port));
  }

  private static Route route(Backend... backends) {
    return new Route(KEY, "s1", "web", 80, List.of(backends));
  }

  /** An active channel standing in for an accepted client connection. */
  private Channel client() throws InterruptedException {
    Channel client = new Bootstrap().group(loop).channel(transport.socketChannel())
        .handler(new ChannelInboundHandlerAdapter())
        .connect(front.getLocalSocketAddress()).sync().channel();
    closeables.add(() -> client.close().sync());
    return client;
  }

  private int connectedPort(Route route) throws Exception {
    Channel backend = connector.connect(client(), route, port).get(5, TimeUnit.SECONDS);
    closeables.add(() -> backend.close().sync());
    assertThat(backend.eventLoop()).isSameAs(loop.next());
    return ((InetSocketAddress) backend.remoteAddress()).getPort();
  }

  @Test
  void spreadsConnectionsRoundRobin() throws Exception {
    TestBackend a = backend("a");
    TestBackend b = backend("b");
    TestBackend c = backend("c");
    Route route = route(at("ta", a.port()), at("tb", b.port()), at("tc", c.port()));

    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ports.add(connectedPort(route));
    }

    assertThat(ports).containsExactly(a.port(), b.port(), c.port(), a.port(), b.port(), c.port());
    assertThat(port.stats().connectErrors()).isZero();
  }

  @Test
  void aRefusingBackendIsSkippedAndCounted() throws Exception {
    TestBackend live = backend("live");
    Route route = route(at("dead", ExternalProcess.freePort()), at("live", live.port()));

    for (int i = 0; i < 4; i++) {
      assertThat(connectedPort(route)).isEqualTo(live.port());
    }

    // Round robin starts at the dead backend every other time.
    assertThat(port.stats().connectErrors()).isEqualTo(2);
  }

  @Test
  void failsWhenEveryBackendRefuses() throws Exception {
    Route route = route(at("d1", ExternalProcess.freePort()), at("d2", ExternalProcess.freePort()));

    assertThatThrownBy(() -> connector.connect(client(), route, port).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(java.net.ConnectException.class);
    assertThat(port.stats().connectErrors()).isEqualTo(2);
  }
}
