package io.shoal.control;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.KeyValue;
import io.opentelemetry.api.metrics.LongCounter;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.telemetry.Telemetry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes sealed registry credentials whose service no longer exists. Control writes credentials
 * in the same transaction as their service, so none should be left behind; this catches the ones
 * older versions left (credentials were written apart, and a crash between the two writes of a
 * delete kept them) and any service key removed by hand. It runs in control, the one writer of
 * {@code credentials/}. Each removal is one transaction guarded by the service key being absent
 * and the credentials being as read, so it can never race a create (which writes both keys at
 * once), and every control replica may sweep side by side.
 *
 * <pre>{@code
 * OrphanCredentialSweeper sweeper = new OrphanCredentialSweeper(store, Duration.ofMinutes(10), telemetry).start();
 * ...
 * sweeper.close();
 * }</pre>
 */
public final class OrphanCredentialSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrphanCredentialSweeper.class);

  private final EtcdStore store;
  private final Duration interval;
  private final LongCounter removed;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "credential-sweeper");
    t.setDaemon(true);
    return t;
  });

  public OrphanCredentialSweeper(EtcdStore store, Duration interval, Telemetry telemetry) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("the credentials sweep interval must be positive; got " + interval);
    }
    this.store = store;
    this.interval = interval;
    this.removed = telemetry.meter("io.shoal.control").counterBuilder("shoal.control.orphan_credentials_removed")
        .setDescription("Sealed registry credentials removed because their service no longer exists")
        .build();
  }

  /** Sweeps now, then every interval. */
  public OrphanCredentialSweeper start() {
    timer.scheduleWithFixedDelay(this::sweepOrWarn, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void sweepOrWarn() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("could not sweep orphaned registry credentials; trying again in {}: {}", interval, e.toString());
    }
  }

  /** One pass: removes the credentials of every service that does not exist; returns how many. */
  public int sweep() {
    String prefix = store.root() + Tables.CREDENTIALS.name() + "/";
    int count = 0;
    for (KeyValue kv : store.listRaw(Tables.CREDENTIALS.name() + "/")) {
      String serviceId = kv.getKey().toString(UTF_8).substring(prefix.length());
      if (store.get(Tables.SERVICES, serviceId).isPresent()) {
        continue;
      }
      try {
        store.txn()
            .requireAbsent(Tables.SERVICES.name() + "/" + serviceId)
            .delete(Tables.CREDENTIALS, serviceId, kv.getModRevision())
            .commit();
      } catch (ConflictException e) {
        log.debug("credentials of service {} changed while being swept; left for the next pass", serviceId);
        continue;
      }
      count++;
      removed.add(1);
      log.info("removed the registry credentials of service {}, which no longer exists", serviceId);
    }
    return count;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
