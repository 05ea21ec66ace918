package io.shoal.common.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks etcd every {@code period} whether it answers ({@link EtcdStore#reachable}) and tells
 * {@code onChange} when that changes (and once at start): a service's gRPC health says
 * NOT_SERVING while it cannot reach etcd, so a load balancer or an operator's probe stops
 * sending it work it could not store.
 */
public final class EtcdProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdProbe.class);

  /** How often services probe (each read given as long): NOT_SERVING within about two periods of a loss. */
  public static final Duration PERIOD = Duration.ofSeconds(2);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "etcd-probe");
    t.setDaemon(true);
    return t;
  });
  private final EtcdStore store;
  private final Duration timeout;
  private final Consumer<Boolean> onChange;
  private final String service;
  private Boolean reachable;

  private EtcdProbe(String service, EtcdStore store, Duration timeout, Consumer<Boolean> onChange) {
    this.service = service;
    this.store = store;
    this.timeout = timeout;
    this.onChange = onChange;
  }

  /**
   * Probes every {@code period}, each read given as long; the first probe runs now, before this returns.
   *
   * @param service named in the log lines of each change
   */
  public static EtcdProbe start(String service, EtcdStore store, Duration period, Consumer<Boolean> onChange) {
    EtcdProbe probe = new EtcdProbe(service, store, period, onChange);
    probe.probe();
    probe.timer.scheduleWithFixedDelay(probe::probe, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return probe;
  }

  private synchronized void probe() {
    boolean now = store.reachable(timeout);
    if (reachable != null && reachable == now) {
      return;
    }
    if (now) {
      log.info("{}: etcd answers{}", service, reachable == null ? "" : " again; health is SERVING");
    } else {
      log.warn("{}: etcd does not answer within {} ms; health is NOT_SERVING until it does", service, timeout.toMillis());
    }
    reachable = now;
    onChange.accept(now);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
