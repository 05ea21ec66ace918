package io.shoal.control.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.timeout.ReadTimeoutHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.WatchEventsRequest;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.control.events.EventLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster page: static files from the classpath ({@code /web/}), {@code /api/snapshot}
 * ({@link ClusterSnapshot}), {@code /api/events} (Server-Sent Events from the {@link EventLog},
 * resumable by revision), {@code /api/graphs} and {@code /api/graph} (allow-listed Prometheus
 * range queries, {@link GraphQueries}). Read-only: nothing here changes the cluster.
 *
 * <p>Who may read it: on a loopback address, plain HTTP for those on control's host (a
 * Host header naming anything but a loopback address is refused, so a web site that
 * rebinds its DNS name to 127.0.0.1 cannot read it through a browser); on any other address,
 * HTTPS that asks for a manager's certificate of the cluster, as {@code /metrics} does (an
 * insecure control refuses such an address). One event-loop thread.
 */
public final class ClusterPage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterPage.class);
  private static final int READ_TIMEOUT_SECONDS = 30;
  private static final int HEARTBEAT_SECONDS = 15;
  private static final Map<String, String> FILES = Map.of(
      "/", "index.html", "/index.html", "index.html", "/page.js", "page.js", "/page.css", "page.css");

  private final EventLoopGroup loop;
  private final Channel server;

  private ClusterPage(EventLoopGroup loop, Channel server) {
    this.loop = loop;
    this.server = server;
  }

  /**
   * Serves the page on {@code listen}.
   *
   * @param tls the HTTPS context asking for a manager's certificate, empty when control is insecure
   * @throws IllegalArgumentException for a non-loopback address without TLS
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static ClusterPage start(InetSocketAddress listen, Optional<SslContext> tls, EtcdStore store,
      EventLog events, Optional<PrometheusClient> prometheus) {
    boolean loopback = listen.getAddress() != null && listen.getAddress().isLoopbackAddress();
    if (!loopback && tls.isEmpty()) {
      throw new IllegalArgumentException("--web-listen " + listen.getHostString() + ":" + listen.getPort()
          + " is not a loopback address, and control is --insecure: the page would be open to anyone who"
          + " reaches it; serve it on 127.0.0.1 or run control with TLS");
    }
    Optional<SslContext> used = loopback ? Optional.empty() : tls;
    EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("cluster-page", true));
    ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            used.ifPresent(context -> channel.pipeline().addLast(context.newHandler(channel.alloc())));
            channel.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS), new HttpServerCodec(),
                new HttpObjectAggregator(8 * 1024), new Handler(store, events, prometheus, loopback));
          }
        });
    try {
      Channel server = bootstrap.bind(listen).sync().channel();
      log.info("cluster page on {}://{}:{}/", used.isPresent() ? "https" : "http", listen.getHostString(),
          ((InetSocketAddress) server.localAddress()).getPort());
      return new ClusterPage(loop, server);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("interrupted while binding the cluster page on " + listen, e);
    } catch (RuntimeException e) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new UncheckedIOException(new IOException("cannot serve the cluster page on " + listen + ": " + e, e));
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** The routes; one per connection. */
  private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final EtcdStore store;
    private final EventLog events;
    private final Optional<PrometheusClient> prometheus;
    private final boolean loopback;
    private SseSink stream;

    Handler(EtcdStore store, EventLog events, Optional<PrometheusClient> prometheus, boolean loopback) {
      this.store = store;
      this.events = events;
      this.prometheus = prometheus;
      this.loopback = loopback;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      String path = uri.path();
      if (loopback && !LoopbackHost.allowed(request.headers().get(HttpHeaderNames.HOST))) {
        respond(ctx, request, text(HttpResponseStatus.FORBIDDEN, "this page answers only to a loopback host name\n"));
      } else if (!request.method().equals(HttpMethod.GET)) {
        respond(ctx, request, text(HttpResponseStatus.METHOD_NOT_ALLOWED, "the cluster page is read-only: GET\n"));
      } else if (FILES.containsKey(path)) {
        respond(ctx, request, file(FILES.get(path)));
      } else if (path.equals("/api/snapshot")) {
        respond(ctx, request, json(HttpResponseStatus.OK, ClusterSnapshot.read(store).toString()));
      } else if (path.equals("/api/graphs")) {
        respond(ctx, request, json(HttpResponseStatus.OK, graphList().toString()));
      } else if (path.equals("/api/graph")) {
        graph(ctx, request, uri);
      } else if (path.equals("/api/events")) {
        events(ctx, request, uri);
      } else {
        respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "no such page: " + path + "\n"));
      }
    }

    private JsonObject graphList() {
      JsonObject o = new JsonObject();
      o.addProperty("enabled", prometheus.isPresent());
      JsonArray graphs = new JsonArray();
      for (GraphQueries.Graph g : GraphQueries.all()) {
        JsonObject graph = new JsonObject();
        graph.addProperty("name", g.name());
        graph.addProperty("title", g.title());
        graph.addProperty("unit", g.unit());
        graphs.add(graph);
      }
      o.add("graphs", graphs);
      return o;
    }

    /** {@code ?name=GRAPH&service=ID}: the last 15 minutes of one allow-listed query. */
    private void graph(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
      if (prometheus.isEmpty()) {
        respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "graphs are off: control has no --prometheus-url\n"));
        return;
      }
      String name = first(uri, "name");
      String serviceId = first(uri, "service");
      Optional<GraphQueries.Graph> graph = GraphQueries.named(name);
      if (graph.isEmpty()) {
        respond(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "name: no graph " + name + "\n"));
        return;
      }
      Optional<Service> service = serviceId.isEmpty() ? Optional.empty() : store.get(Tables.SERVICES, serviceId);
      if (service.isEmpty()) {
        respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "service: no service " + serviceId + "\n"));
        return;
      }
      List<Integer> ports = service.get().getSpec().getEndpoint().getPortsList().stream()
          .map(PortConfig::getPublishedPort).filter(p -> p != 0).map(Integer::valueOf).toList();
      Optional<String> query = GraphQueries.query(graph.get(), service.get().getSpec().getName(), ports);
      if (query.isEmpty()) {
        JsonObject none = new JsonObject();
        none.addProperty("query", "");
        none.addProperty("note", "the service publishes no port");
        none.add("points", new JsonArray());
        respond(ctx, request, json(HttpResponseStatus.OK, none.toString()));
        return;
      }
      prometheus.get().range(query.get()).whenComplete((points, error) -> {
        if (error != null) {
          respond(ctx, request, text(HttpResponseStatus.BAD_GATEWAY, "prometheus: " + error.getMessage() + "\n"));
        } else {
          JsonObject o = new JsonObject();
          o.addProperty("query", query.get());
          o.add("points", points);
          respond(ctx, request, json(HttpResponseStatus.OK, o.toString()));
        }
      });
    }

    /** {@code ?after=REVISION} (or the EventSource's Last-Event-ID): the events after it, then live. */
    private void events(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
      String resume = request.headers().get("Last-Event-ID");
      String after = resume != null && !resume.isBlank() ? resume.trim() : first(uri, "after");
      long revision;
      try {
        revision = after.isEmpty() ? events.lastRevision() : Long.parseLong(after);
      } catch (NumberFormatException e) {
        respond(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "after: not a revision: " + after + "\n"));
        return;
      }
      ctx.pipeline().remove(ReadTimeoutHandler.class);
      DefaultHttpResponse head = new DefaultHttpResponse(request.protocolVersion(), HttpResponseStatus.OK);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
      HttpUtil.setTransferEncodingChunked(head, true);
      ctx.writeAndFlush(head);
      stream = new SseSink(ctx.channel());
      try {
        events.subscribe(WatchEventsRequest.newBuilder().setAfterRevision(Math.max(0, revision)).build(), stream);
      } catch (ShoalException e) {
        stream.fail(io.shoal.common.errors.GrpcErrors.toStatus(e).getStatus());
        return;
      }
      var beat = ctx.executor().scheduleAtFixedRate(stream::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS,
          TimeUnit.SECONDS);
      ctx.channel().closeFuture().addListener(f -> beat.cancel(false));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (stream != null && ctx.channel().isWritable()) {
        stream.writable();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A refused handshake, a timeout or a reset: the browser sees the connection end.
      ctx.close();
    }

    private static String first(QueryStringDecoder uri, String name) {
      List<String> values = uri.parameters().get(name);
      return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static FullHttpResponse file(String name) {
      try (InputStream in = ClusterPage.class.getResourceAsStream("/web/" + name)) {
        if (in == null) {
          return text(HttpResponseStatus.NOT_FOUND, "missing " + name + "\n");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(
            io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(in.readAllBytes()));
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type + "; charset=utf-8");
        return response;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
      FullHttpResponse response = text(status, body);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      return response;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
      FullHttpResponse response = new DefaultFullHttpResponse(
          io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
          Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      return response;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setContentLength(response, response.content().readableBytes());
      // The page's own files only; no framing by other sites.
      response.headers().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
      response.headers().set("X-Content-Type-Options", "nosniff");
      var written = ctx.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
