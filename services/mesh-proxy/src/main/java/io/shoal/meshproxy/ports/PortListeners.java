package io.shoal.meshproxy.ports;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.shoal.api.v1.Protocol;
import io.shoal.meshproxy.MeshProxyConfig;
import io.shoal.meshproxy.balance.RotationStarts;
import io.shoal.meshproxy.metrics.ProxyMetrics;
import io.shoal.meshproxy.routes.PortKey;
import io.shoal.meshproxy.routes.Route;
import io.shoal.meshproxy.routes.RouteTable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one listener open on the node's address for every published port of the route table:
 * opens the new ones, closes those no longer published. A port that cannot be bound (another
 * process holds it) is logged with its service and retried on later reconciles; the others are
 * served regardless.
 *
 * <p>Threading: {@link #reconcile} and {@link #close} are called by one thread at a time (the
 * route loop, then shutdown); binds and closes are awaited there, so when reconcile returns the
 * sockets match the table. The maps are concurrent only so that tests and metrics can read them.
 */
@Singleton
public final class PortListeners implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortListeners.class);
  private static final long IO_TIMEOUT_SECONDS = 10;

  private final InetAddress address;
  private final Map<Protocol, Frontend> frontends = new EnumMap<>(Protocol.class);
  private final ProxyMetrics metrics;
  private final RotationStarts rotationStarts;
  private final Map<PortKey, Channel> open = new ConcurrentHashMap<>();
  /** Ports that failed to bind, with the service last reported for each (to log it once). */
  private final Map<PortKey, String> failed = new ConcurrentHashMap<>();

  @Inject
  public PortListeners(MeshProxyConfig config, List<Frontend> frontends, ProxyMetrics metrics,
      RotationStarts rotationStarts) {
    this.address = config.address();
    this.metrics = metrics;
    this.rotationStarts = rotationStarts;
    for (Frontend frontend : frontends) {
      this.frontends.put(frontend.protocol(), frontend);
    }
  }

  /** Makes the open listeners match {@code table}. */
  public void reconcile(RouteTable table) {
    Map<PortKey, Route> routes = table.routes();
    for (Iterator<Map.Entry<PortKey, Channel>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<PortKey, Channel> listener = it.next();
      if (!routes.containsKey(listener.getKey())) {
        listener.getValue().close().awaitUninterruptibly(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        it.remove();
        log.info("stopped listening on {}: {} is no longer published",
            describe(listener.getKey()), listener.getKey());
      }
    }
    failed.keySet().retainAll(routes.keySet());
    for (Route route : routes.values()) {
      if (!open.containsKey(route.key())) {
        open(route);
      }
    }
  }

  private void open(Route route) {
    PortKey key = route.key();
    Frontend frontend = frontends.get(key.protocol());
    if (frontend == null) {
      if (!route.serviceName().equals(failed.put(key, route.serviceName()))) {
        log.error("cannot serve {} for service {}: no {} frontend",
            key, route.serviceName(), key.transport());
      }
      return;
    }
    InetSocketAddress at = new InetSocketAddress(address, key.port());
    ChannelFuture bound = frontend.bind(at,
        new PublishedPort(key, metrics.port(key), rotationStarts.next()));
    if (bound.awaitUninterruptibly(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS) && bound.isSuccess()) {
      open.put(key, bound.channel());
      boolean retried = failed.remove(key) != null;
      log.info("listening on {} for service {}{}",
          describe(key), route.serviceName(), retried ? " (after an earlier failure)" : "");
      return;
    }
    String cause = bound.cause() != null ? bound.cause().getMessage() : "timed out";
    bound.channel().close();
    if (!route.serviceName().equals(failed.put(key, route.serviceName()))) {
      log.error("cannot listen on {} for service {} ({}): {}; serving the other ports and "
              + "retrying this one", describe(key), route.serviceName(), route.serviceId(), cause);
    } else {
      log.debug("still cannot listen on {} for service {}: {}", describe(key),
          route.serviceName(), cause);
    }
  }

  private String describe(PortKey key) {
    return address.getHostAddress() + ":" + key.port() + "/" + key.transport();
  }

  /** Whether some published port is not being served, so a later retry is worthwhile. */
  public boolean hasFailures() {
    return !failed.isEmpty();
  }

  public Set<PortKey> openPorts() {
    return Set.copyOf(open.keySet());
  }

  public Set<PortKey> failedPorts() {
    return Set.copyOf(failed.keySet());
  }

  /** Closes every listener; connections already accepted are left to the event loops. */
  @Override
  public void close() {
    for (Channel channel : open.values()) {
      channel.close().awaitUninterruptibly(IO_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    open.clear();
    failed.clear();
  }
}
