package io.shoal.meshproxy;

import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.MetricsEndpoints;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.meshproxy.balance.BackendConnections;
import io.shoal.meshproxy.metrics.ProxyMetrics;
import io.shoal.meshproxy.ports.PortListeners;
import io.shoal.meshproxy.routes.LiveRoutes;
import io.shoal.meshproxy.transport.EventLoops;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's routing mesh: watches services and tasks in etcd (read-only), serves every
 * published ingress port on the node's address, and forwards each TCP connection and UDP flow
 * to a RUNNING task.
 *
 * <pre>{@code
 * MeshProxy proxy = DaggerMeshProxyComponent.builder()
 *     .configModule(new ConfigModule(config)).build().meshProxy().start();
 * ...
 * proxy.close();
 * }</pre>
 */
@Singleton
public final class MeshProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshProxy.class);

  private final MeshProxyConfig config;
  private final Telemetry telemetry;
  private final EtcdStore store;
  private final EventLoops eventLoops;
  private final ProxyMetrics metrics;
  private final PortListeners listeners;
  private final RouteWatcher watcher;
  private final LiveRoutes routes;
  private final BackendConnections connections;
  private StoreCache cache;
  private final ServiceTls tls;
  /** Where it serves /metrics, in etcd while it runs. */
  private AutoCloseable metricsEndpoint;
  private GrpcServer grpc;

  @Inject
  MeshProxy(MeshProxyConfig config, Telemetry telemetry, EtcdStore store, EventLoops eventLoops,
      ProxyMetrics metrics, PortListeners listeners, RouteWatcher watcher, LiveRoutes routes,
      BackendConnections connections, ServiceTls tls) {
    this.tls = tls;
    this.config = config;
    this.telemetry = telemetry;
    this.store = store;
    this.eventLoops = eventLoops;
    this.metrics = metrics;
    this.listeners = listeners;
    this.watcher = watcher;
    this.routes = routes;
    this.connections = connections;
  }

  /**
   * Lists services and tasks, then watches them; serves gRPC health once the first listing has
   * been handed to the route loop. Fails when etcd cannot be listed.
   */
  public MeshProxy start() {
    cache = new StoreCache(store, List.of(Tables.SERVICES, Tables.TASKS), watcher).start();
    grpc = GrpcServer.start("mesh-proxy", List.of(config.grpcListen()), List.of(), telemetry, tls);
    metricsEndpoint = MetricsEndpoints.registerIfServed(store, Tables.METRICS_MESH_PROXY, telemetry.metricsAddress());
    log.info("mesh-proxy serving published ports on {} from etcd {} ({})",
        config.address().getHostAddress(), config.etcdEndpoints(), config.etcdPrefix());
    return this;
  }

  public LiveRoutes routes() {
    return routes;
  }

  /** Open backend connections and flows by task, and the tasks draining now. */
  public BackendConnections connections() {
    return connections;
  }

  public PortListeners listeners() {
    return listeners;
  }

  public ProxyMetrics metrics() {
    return metrics;
  }

  public EventLoops eventLoops() {
    return eventLoops;
  }

  /** The port gRPC listens on (useful when configured with port 0). */
  public int grpcPort() {
    return grpc.port();
  }

  /**
   * Stops in dependency order: health first, then the watch, the route loop, the listeners,
   * the open connections, and last the etcd client and telemetry.
   */
  @Override
  public void close() {
    List<AutoCloseable> parts = new ArrayList<>();
    if (metricsEndpoint != null) {
      parts.add(metricsEndpoint);
    }
    if (grpc != null) {
      parts.add(grpc);
    }
    if (cache != null) {
      parts.add(cache);
    }
    parts.addAll(List.of(watcher, listeners, eventLoops, store, metrics, telemetry));
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
