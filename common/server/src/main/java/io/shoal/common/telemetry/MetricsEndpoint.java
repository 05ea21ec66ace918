package io.shoal.common.telemetry;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufOutputStream;
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
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.timeout.ReadTimeoutHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service's Prometheus {@code /metrics}: the text format of what OpenTelemetry's
 * {@link PrometheusMetricReader} collects, over HTTPS that asks for a manager's certificate of
 * the cluster ({@code ServiceTls.metricsContext}), or plain HTTP with {@code --insecure}. One
 * event-loop thread; a scrape is small and rare.
 *
 * <p>Why Netty's HTTP codec (grpc-netty-shaded's, on every service's classpath) and not a
 * ready server: OpenTelemetry's {@code PrometheusHttpServer} has no TLS, and the JDK's
 * {@code HttpsServer} (which the Prometheus client's server uses for HTTPS) looks up each
 * client's host name (reverse DNS) before the handshake: on a host whose resolver does not
 * answer, as on the lab's, every scrape waited 10 s and failed.
 */
final class MetricsEndpoint implements AutoCloseable {
  /** A client that sends nothing for this long is dropped (a scraper sends its request at once). */
  private static final int READ_TIMEOUT_SECONDS = 30;

  private final EventLoopGroup loop;
  private final Channel server;
  /** Paths served beside /metrics: JSON made on each request. */
  private final java.util.Map<String, java.util.function.Supplier<String>> routes;

  private MetricsEndpoint(EventLoopGroup loop, Channel server,
      java.util.Map<String, java.util.function.Supplier<String>> routes) {
    this.loop = loop;
    this.server = server;
    this.routes = routes;
  }

  /** Serves {@code body}'s JSON at {@code path} from now on. */
  void route(String path, java.util.function.Supplier<String> body) {
    routes.put(path, body);
  }

  /**
   * Serves {@code reader}'s metrics on {@code host:port}, with TLS when {@code tls} is given.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  static MetricsEndpoint start(String host, int port, PrometheusMetricReader reader, Optional<SslContext> tls) {
    EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("metrics", true));
    java.util.Map<String, java.util.function.Supplier<String>> routes = new java.util.concurrent.ConcurrentHashMap<>();
    ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            tls.ifPresent(context -> channel.pipeline().addLast(context.newHandler(channel.alloc())));
            channel.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS),
                new HttpServerCodec(), new HttpObjectAggregator(8 * 1024), new Scrape(reader, routes));
          }
        });
    try {
      Channel server = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
      return new MetricsEndpoint(loop, server, routes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("interrupted while binding metrics on " + host + ":" + port, e);
    } catch (RuntimeException e) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new UncheckedIOException(new IOException("cannot serve metrics on " + host + ":" + port + ": " + e, e));
    }
  }

  /** The port bound (for port 0). */
  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** GET /metrics (or /): the text format; a route's JSON; anything else 404 or 405. */
  private static final class Scrape extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final PrometheusMetricReader reader;
    private final java.util.Map<String, java.util.function.Supplier<String>> routes;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    Scrape(PrometheusMetricReader reader, java.util.Map<String, java.util.function.Supplier<String>> routes) {
      this.reader = reader;
      this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws IOException {
      String path = request.uri().split("\\?", 2)[0];
      FullHttpResponse response;
      java.util.function.Supplier<String> route = routes.get(path);
      if (route != null && request.method().equals(HttpMethod.GET)) {
        response = text(request, HttpResponseStatus.OK, route.get());
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      } else if (!path.equals("/metrics") && !path.equals("/")) {
        response = text(request, HttpResponseStatus.NOT_FOUND, "only /metrics is served here\n");
      } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
        response = text(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET /metrics\n");
      } else {
        response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
            ctx.alloc().buffer());
        try (ByteBufOutputStream out = new ByteBufOutputStream(response.content())) {
          writer.write(out, reader.collect());
        }
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, writer.getContentType());
        if (request.method().equals(HttpMethod.HEAD)) {
          HttpUtil.setContentLength(response, response.content().readableBytes());
          response.content().clear();
        }
      }
      respond(ctx, request, response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A refused handshake, a timeout or a reset: the scraper sees the connection end.
      ctx.close();
    }

    private static FullHttpResponse text(FullHttpRequest request, HttpResponseStatus status, String body) {
      FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status,
          Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      return response;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
      }
      if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
        response.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
      }
      var written = ctx.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
