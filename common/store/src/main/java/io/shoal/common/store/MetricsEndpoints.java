package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a part serves /metrics, kept in etcd under the part's own prefix
 * ({@code metrics_endpoints/<part>/<host:port>}, Tables.METRICS_*) on a lease it keeps alive, so
 * the key goes with the process; control lists them as Prometheus's targets, which are thus
 * made from the cluster, never listed by hand. A lease lost to an etcd outage is taken again.
 */
public final class MetricsEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoints.class);
  private static final String ROOT = "metrics_endpoints";
  /** A dead part's key is gone this long after its last renewal. */
  static final long TTL_SECONDS = 10;
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final EtcdStore store;
  private final String key;
  private final String hostPort;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "metrics-endpoint");
    t.setDaemon(true);
    return t;
  });
  private volatile long lease;
  private volatile AutoCloseable keepAlive;
  private volatile boolean closed;

  private MetricsEndpoints(EtcdStore store, String prefix, String hostPort) {
    this.store = store;
    this.key = prefix + "/" + hostPort;
    this.hostPort = hostPort;
  }

  /**
   * Registers {@code hostPort} under {@code prefix} (one of Tables.METRICS_*), now if etcd
   * answers, else as soon as it does.
   */
  public static MetricsEndpoints register(EtcdStore store, String prefix, String hostPort) {
    MetricsEndpoints endpoint = new MetricsEndpoints(store, prefix, hostPort);
    endpoint.retry.execute(endpoint::take);
    return endpoint;
  }

  /** As {@link #register}, when the part serves metrics at all ({@code hostPort} present); else nothing to close. */
  public static AutoCloseable registerIfServed(EtcdStore store, String prefix, java.util.Optional<String> hostPort) {
    return hostPort.<AutoCloseable>map(a -> register(store, prefix, a)).orElse(() -> { });
  }

  private void take() {
    if (closed) {
      return;
    }
    try {
      long granted = store.grantLease(TTL_SECONDS);
      store.txn().putBytes(key, hostPort.getBytes(UTF_8), granted).commit();
      lease = granted;
      keepAlive = store.keepLeaseAlive(granted, () -> {
        log.info("the lease of {} lapsed; registering it again", key);
        retry.schedule(this::take, 0, TimeUnit.SECONDS);
      });
    } catch (RuntimeException e) {
      log.debug("cannot register {} yet: {}", key, e.toString());
      retry.schedule(this::take, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Every registered endpoint: part ("control", "mesh-proxy", …) → its {@code host:port}s, sorted.
   */
  public static Map<String, List<String>> list(EtcdStore store) {
    Map<String, List<String>> byPart = new TreeMap<>();
    for (KeyValue kv : store.listRaw(ROOT + "/")) {
      String path = kv.getKey().toString(UTF_8);
      path = path.startsWith(store.root()) ? path.substring(store.root().length()) : path;
      String[] partAndAddress = path.substring(ROOT.length() + 1).split("/", 2);
      if (partAndAddress.length == 2) {
        byPart.computeIfAbsent(partAndAddress[0], k -> new ArrayList<>()).add(partAndAddress[1]);
      }
    }
    byPart.values().forEach(list -> list.sort(null));
    return byPart;
  }

  /** Stops renewing and removes the key (its lease revoked; it lapses anyway if etcd is away). */
  @Override
  public void close() {
    closed = true;
    retry.shutdownNow();
    try {
      if (keepAlive != null) {
        keepAlive.close();
      }
      if (lease != 0) {
        store.revokeLease(lease);
      }
    } catch (Exception e) {
      log.debug("{} not removed now; its lease lapses within {} s: {}", key, TTL_SECONDS, e.toString());
    }
  }
}
