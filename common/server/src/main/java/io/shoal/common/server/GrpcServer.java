package io.shoal.common.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.shoal.common.pki.authz.CallPolicy;
import io.shoal.common.server.tls.ServerAuthorization;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.telemetry.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's gRPC server: its own services plus health and server reflection, instrumented
 * with OpenTelemetry, shut down gracefully (health NOT_SERVING first, then a bounded drain).
 */
public final class GrpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
  /**
   * The largest request a service takes (gRPC's default, made explicit): a spec is at most
   * 64 KiB and lists are paginated, so nothing legitimate comes near it.
   */
  public static final int MAX_INBOUND_BYTES = 4 << 20;

  private final Server server;
  private final HealthStatusManager health;
  private final String name;

  private final List<String> serviceNames;

  private GrpcServer(String name, Server server, HealthStatusManager health, List<String> serviceNames) {
    this.name = name;
    this.server = server;
    this.health = health;
    this.serviceNames = serviceNames;
  }

  /** A plaintext server on one address: for tests. */
  public static GrpcServer start(
      String name, InetSocketAddress address, List<BindableService> services, Telemetry telemetry) {
    return start(name, List.of(address), services, telemetry);
  }

  /** A plaintext server on every address of {@code addresses}: for tests. */
  public static GrpcServer start(
      String name, List<InetSocketAddress> addresses, List<BindableService> services, Telemetry telemetry) {
    return start(name, addresses, services, telemetry, ServiceTls.insecure());
  }

  /**
   * One server on every address of {@code addresses} (a service on loopback and a lab bridge),
   * mutual TLS with {@code tls}'s certificate (plaintext if {@code --insecure}), serving health
   * to members of the cluster and reflection to managers, nothing else.
   */
  public static GrpcServer start(String name, List<InetSocketAddress> addresses, List<BindableService> services,
      Telemetry telemetry, ServiceTls tls) {
    return start(name, addresses, services, telemetry, tls, CallPolicy.builder(), nodeId -> false);
  }

  /**
   * As above, with {@code rules} saying who may call {@code services}' methods, and a certificate
   * of a node that {@code revoked} names refused on every call ({@link ServerAuthorization}).
   */
  public static GrpcServer start(String name, List<InetSocketAddress> addresses, List<BindableService> services,
      Telemetry telemetry, ServiceTls tls, CallPolicy.Builder rules, Predicate<String> revoked) {
    return start(name, addresses, services, telemetry, tls, tls.serverContext(),
        ServerAuthorization.interceptors(tls, rules, revoked, telemetry, "shoal-" + name));
  }

  /**
   * As above with a context of one's own ({@link ServiceTls#serverContextAcceptingJoins}) and
   * interceptors on every call, health and reflection included.
   */
  public static GrpcServer start(String name, List<InetSocketAddress> addresses, List<BindableService> services,
      Telemetry telemetry, ServiceTls tls, Optional<SslContext> context, List<ServerInterceptor> interceptors) {
    HealthStatusManager health = new HealthStatusManager();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(addresses.get(0));
    addresses.subList(1, addresses.size()).forEach(builder::addListenAddress);
    context.ifPresent(builder::sslContext);
    interceptors.forEach(builder::intercept);
    tls.refusals().export(telemetry.meter("shoal-tls"));
    builder
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(reflectionV1Alpha())
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(MAX_INBOUND_BYTES);
    services.forEach(builder::addService);
    telemetry.instrument(builder);
    try {
      Server server = builder.build().start();
      List<String> names = services.stream().map(s -> s.bindService().getServiceDescriptor().getName()).toList();
      names.forEach(n -> health.setStatus(n, ServingStatus.SERVING));
      log.info("{} serving gRPC on {} ({})", name, addresses, context.isPresent() ? "mutual TLS" : "plaintext");
      return new GrpcServer(name, server, health, names);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot listen on " + addresses + ": " + e.getMessage(), e);
    }
  }

  /**
   * The v1alpha reflection service too: some tools (older grpcurl releases among them) ask only
   * for it. grpc-java keeps it, deprecated, beside v1.
   */
  @SuppressWarnings("deprecation")
  private static BindableService reflectionV1Alpha() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  /**
   * The health of the server ("") and of each of its services: NOT_SERVING while the service
   * cannot do its work (it lost etcd), SERVING again once it can.
   */
  public void serving(boolean serving) {
    ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    serviceNames.forEach(n -> health.setStatus(n, status));
  }

  /** A health entry of its own, {@code name} (e.g. the scheduler's leadership), apart from the services'. */
  public void status(String name, boolean serving) {
    health.setStatus(name, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  public int port() {
    return server.getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    log.info("{} stopped", name);
  }
}
