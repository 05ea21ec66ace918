package io.shoal.common.pki;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.CaServiceGrpc;
import io.shoal.api.v1.RenewCertificateRequest;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a process's certificate valid: at a random 50–80 % of its validity (SwarmKit's spread,
 * so a thousand nodes joined together do not renew together) it makes a new key, asks the CA
 * for a certificate of the same identity, then presents it from the next handshake on
 * ({@link ReloadableKeyManager#update}) and saves it ({@link CertDirectory#write}). A failed
 * renewal is retried after a tenth of the time left (at least {@link #MIN_RETRY}, at most
 * {@link #MAX_RETRY}), so an unreachable CA is asked often before the certificate runs out.
 */
public final class CertificateRenewer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);
  static final Duration MIN_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  private final ReloadableKeyManager keys;
  private final CertDirectory dir;
  private final RootCertificate root;
  private final Channel manager;
  private final Clock clock;
  private final DoubleSupplier spread;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "certificate-renewal");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param manager a channel to control presenting {@code keys} (mutual TLS): the current
   *     certificate is the renewal's proof of identity
   */
  public CertificateRenewer(ReloadableKeyManager keys, CertDirectory dir, RootCertificate root, Channel manager,
      Clock clock) {
    this(keys, dir, root, manager, clock, () -> ThreadLocalRandom.current().nextDouble(0.5, 0.8));
  }

  /** As above, renewing {@code spread.getAsDouble()} (0–1) into each certificate's validity. */
  public CertificateRenewer(ReloadableKeyManager keys, CertDirectory dir, RootCertificate root, Channel manager,
      Clock clock, DoubleSupplier spread) {
    this.keys = keys;
    this.dir = dir;
    this.root = root;
    this.manager = manager;
    this.clock = clock;
    this.spread = spread;
  }

  /** Schedules the first renewal. */
  public CertificateRenewer start() {
    schedule(renewalTime(keys.credentials()));
    return this;
  }

  /**
   * The share of its validity after which a certificate renewed without a timer is due: by a
   * CLI call, or by a daily {@code ca renew} (etcd's). Later than the timers' 50–80 %, so that
   * what runs only now and then still renews long before the end.
   */
  public static final double WITHOUT_TIMER = 2.0 / 3;

  /**
   * When {@code credentials} are to be renewed: a random 50–80 % into their validity, counted
   * from their issue ({@link NodeCredentials#dueAt}).
   */
  Instant renewalTime(NodeCredentials credentials) {
    return credentials.dueAt(spread.getAsDouble());
  }

  /** Renews now; returns the new credentials. */
  public NodeCredentials renewNow() {
    NodeCredentials current = keys.credentials();
    KeyPair next = Keys.newEcP256();
    String chain = CaServiceGrpc.newBlockingStub(manager).withDeadlineAfter(30, TimeUnit.SECONDS)
        .renewCertificate(RenewCertificateRequest.newBuilder()
            .setCsr(ByteString.copyFrom(CertificateRequest.create(next).der())).build())
        .getCertificateChainPem();
    NodeCredentials renewed = ClusterJoin.credentials(next, chain, root, clock);
    if (!renewed.identity().equals(current.identity())) {
      throw new IllegalStateException("the CA renewed " + current.identity() + " as " + renewed.identity());
    }
    dir.write(root, renewed);
    keys.update(renewed);
    log.info("certificate of {} renewed; valid until {}", renewed.identity().nodeId(), renewed.notAfter());
    return renewed;
  }

  private void renew() {
    try {
      schedule(renewalTime(renewNow()));
    } catch (StatusRuntimeException | IllegalStateException | io.shoal.common.errors.ShoalException e) {
      Duration left = Duration.between(clock.instant(), keys.credentials().notAfter());
      Duration retry = clamp(left.dividedBy(10));
      log.warn("renewing the certificate failed ({}); {} left, retrying in {}s", e.getMessage(), left,
          retry.toSeconds());
      schedule(clock.instant().plus(retry));
    }
  }

  private static Duration clamp(Duration d) {
    return d.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
  }

  private void schedule(Instant at) {
    long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
    if (!timer.isShutdown()) {
      timer.schedule(this::renew, delay, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
