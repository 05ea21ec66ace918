package io.shoal.meshproxy.tcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shoal.meshproxy.metrics.PortStats;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.Backend;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.meshproxy.routes.Route;
import io.shoal.meshproxy.routes.RouteTable;
import io.shoal.meshproxy.tcp.ChannelProbes.ReadCounter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpConnectHandlerTest {
  private static final PortKey KEY = PortKey.tcp(8080);
  private static final Backend BACKEND =
      new Backend("t1", new InetSocketAddress("127.0.0.2", 32000));

  private final LiveRoutes routes = new LiveRoutes();
  private final PublishedPort port = new PublishedPort(KEY, new PortStats(KEY), 0);
  private final ReadCounter reads = new ReadCounter();
  private final EmbeddedChannel backend = new EmbeddedChannel();
  private EmbeddedChannel client;
  private FakeConnector connector;

  /** Hands out the promise it was asked for, so the test decides how the connect ends. */
  private static final class FakeConnector implements BackendConnector {
    Promise<Channel> promise;
    Route route;

    @Override
    public Future<Channel> connect(Channel client, Route route, PublishedPort port) {
      this.route = route;
      this.promise = client.eventLoop().newPromise();
      return promise;
    }
  }

  private void route(List<Backend> backends) {
    routes.publish(new RouteTable(
        Map.of(KEY, new Route(KEY, "s1", "web", 80, backends)), List.of()));
  }

  /** Accepts a client connection on the port, as the server bootstrap would. */
  private void accept() throws Exception {
    connector = new FakeConnector();
    client = new EmbeddedChannel(false, false);
    client.config().setAutoRead(false);
    client.attr(PublishedPort.ATTR).set(port);
    client.pipeline().addLast(reads, new TcpConnectHandler(routes, connector));
    client.register();
  }

  @AfterEach
  void close() {
    client.finishAndReleaseAll();
    backend.finishAndReleaseAll();
  }

  @Test
  void aPortWithoutRouteClosesTheConnectionAtOnce() throws Exception {
    accept();

    assertThat(client.isOpen()).isFalse();
    assertThat(connector.promise).isNull();
    assertThat(port.stats().accepted()).isEqualTo(1);
    assertThat(port.stats().active()).isZero();
  }

  @Test
  void aRouteWithoutBackendsClosesTheConnectionAtOnce() throws Exception {
    route(List.of());

    accept();

    assertThat(client.isOpen()).isFalse();
    assertThat(connector.promise).isNull();
  }

  @Test
  void nothingIsReadFromTheClientUntilItsBackendIsConnected() throws Exception {
    route(List.of(BACKEND));
    accept();

    assertThat(connector.route.backends()).containsExactly(BACKEND);
    assertThat(reads.reads).isZero();
    assertThat(port.stats().active()).isEqualTo(1);

    connector.promise.setSuccess(backend);

    assertThat(reads.reads).isEqualTo(1);
    assertThat(client.pipeline().get(TcpConnectHandler.class)).isNull();
    assertThat(client.pipeline().get(RelayHandler.class)).isNotNull();
  }

  @Test
  void onceConnectedTheClientsBytesGoToTheBackendAndAreCounted() throws Exception {
    route(List.of(BACKEND));
    accept();
    connector.promise.setSuccess(backend);

    client.writeInbound(Unpooled.copiedBuffer("GET /\r\n", UTF_8));

    ByteBuf relayed = backend.readOutbound();
    assertThat(relayed.toString(UTF_8)).isEqualTo("GET /\r\n");
    relayed.release();
    assertThat(port.stats().received()).isEqualTo(7);
    assertThat(reads.reads).isEqualTo(2);
  }

  @Test
  void whenNoBackendCanBeConnectedTheClientIsClosed() throws Exception {
    route(List.of(BACKEND));
    accept();

    connector.promise.setFailure(new ConnectException("Connection refused"));

    assertThat(client.isOpen()).isFalse();
    assertThat(port.stats().active()).isZero();
  }

  @Test
  void aBackendConnectedAfterTheClientLeftIsClosed() throws Exception {
    route(List.of(BACKEND));
    accept();
    client.close();

    connector.promise.setSuccess(backend);

    assertThat(backend.isOpen()).isFalse();
  }

  @Test
  void theRouteTableIsReadOnceWhenTheConnectionIsAccepted() throws Exception {
    route(List.of(BACKEND));
    accept();
    Route seen = connector.route;

    routes.publish(RouteTable.EMPTY);
    connector.promise.setSuccess(backend);

    assertThat(seen.backends()).containsExactly(BACKEND);
    assertThat(client.pipeline().get(RelayHandler.class)).isNotNull();
  }

  @Test
  void bytesAndFinArrivingBeforeTheBackendConnectsAreRelayedOnceItDoes() throws Exception {
    route(List.of(BACKEND));
    accept();
    // epoll reads a client's data and FIN on EPOLLRDHUP even though no read was asked for.
    client.writeInbound(Unpooled.copiedBuffer("early", UTF_8));
    client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

    connector.promise.setSuccess(backend);

    ByteBuf relayed = backend.readOutbound();
    assertThat(relayed.toString(UTF_8)).isEqualTo("early");
    relayed.release();
    assertThat(port.stats().received()).isEqualTo(5);
    assertThat(backend.isOpen()).as("the FIN is passed on (a close: EmbeddedChannel cannot half-close)")
        .isFalse();
  }

  @Test
  void bytesKeptForABackendAreReleasedWhenTheClientLeaves() throws Exception {
    route(List.of(BACKEND));
    accept();
    ByteBuf early = Unpooled.copiedBuffer("early", UTF_8);
    client.writeInbound(early);

    client.close();

    assertThat(early.refCnt()).isZero();
  }
}
