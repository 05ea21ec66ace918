package io.shoal.registry;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recent tag → digest answers, kept for a TTL so a burst of creates asks the registry once:
 * concurrent lookups of one key share a single registry call. Only digests are kept; a failure
 * is never cached, so a registry that comes back is asked again at once. A refresh (as
 * {@code service update --image} asks for) skips the cached answer and replaces it.
 *
 * <p>The key includes a fingerprint of the credentials, so an answer obtained with one login is
 * never served to another caller. Any caller can thus add keys (one per password it tries), so
 * the cache holds at most {@code maxEntries}: past that, expired answers go first, then the least
 * recently used. A TTL of zero disables the cache.
 */
public final class ResolutionCache {
  private static final Logger log = LoggerFactory.getLogger(ResolutionCache.class);

  /**
   * Default for --resolve-cache-size: far more tags than a cluster deploys within a TTL, and at
   * about 1 KiB an entry (a key of up to a 520-character reference plus a login hash) ~10 MiB.
   */
  public static final long DEFAULT_MAX_ENTRIES = 10_000;

  /** One registry call. */
  @FunctionalInterface
  public interface Lookup {
    String digest() throws ManifestResolver.UnresolvedException;
  }

  /** {@code expires} is {@link Instant#MAX} while the lookup is in flight: its TTL counts from the answer. */
  private record Entry(CompletableFuture<String> digest, Instant expires) {}

  private final Duration ttl;
  private final long maxEntries;
  private final Clock clock;
  private final Object lock = new Object();

  /** In access order: the first entry is the least recently used. */
  @GuardedBy("lock")
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong evictedExpired = new AtomicLong();
  private final AtomicLong evictedLeastRecentlyUsed = new AtomicLong();
  private final AtomicBoolean fullLogged = new AtomicBoolean();

  public ResolutionCache(Duration ttl, Clock clock) {
    this(ttl, DEFAULT_MAX_ENTRIES, clock);
  }

  public ResolutionCache(Duration ttl, long maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("the resolution cache needs room for at least one answer; got " + maxEntries);
    }
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** The cached digest of {@code key}, or the result of {@code lookup} (then cached). */
  public String get(String key, boolean refresh, Lookup lookup) throws ManifestResolver.UnresolvedException {
    if (ttl.isZero() || ttl.isNegative()) {
      return lookup.digest();
    }
    CompletableFuture<String> mine = new CompletableFuture<>();
    Entry fresh = new Entry(mine, Instant.MAX);
    Entry winner;
    synchronized (lock) {
      Entry old = entries.get(key);
      if (old != null && !refresh && !old.digest().isCompletedExceptionally()
          && (!old.digest().isDone() || clock.instant().isBefore(old.expires()))) {
        winner = old;
      } else {
        entries.put(key, fresh);
        makeRoom();
        winner = fresh;
      }
    }
    if (winner != fresh) {
      hits.incrementAndGet();
      return await(winner.digest());
    }
    try {
      String digest = lookup.digest();
      synchronized (lock) {
        entries.replace(key, fresh, new Entry(mine, clock.instant().plus(ttl)));
      }
      mine.complete(digest);
      return digest;
    } catch (Throwable e) {
      synchronized (lock) {
        entries.remove(key, fresh);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * Past {@code maxEntries}: drops every expired answer, then the least recently used ones. An
   * evicted lookup in flight still answers whoever joined it; it is just not kept.
   */
  @GuardedBy("lock")
  private void makeRoom() {
    if (entries.size() <= maxEntries) {
      return;
    }
    Instant now = clock.instant();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.digest().isDone() && !now.isBefore(e.expires())) {
        it.remove();
        evictedExpired.incrementAndGet();
      }
    }
    for (Iterator<Entry> it = entries.values().iterator(); entries.size() > maxEntries && it.hasNext(); ) {
      it.next();
      it.remove();
      evictedLeastRecentlyUsed.incrementAndGet();
      if (fullLogged.compareAndSet(false, true)) {
        log.info("the resolution cache is full ({} answers, --resolve-cache-size); the least recently used are"
            + " dropped from now on, counted in shoal_registry_resolution_cache_evictions", maxEntries);
      }
    }
  }

  private static String await(CompletableFuture<String> future) throws ManifestResolver.UnresolvedException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ManifestResolver.UnresolvedException("interrupted while waiting for another lookup");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ManifestResolver.UnresolvedException u) {
        throw new ManifestResolver.UnresolvedException(u.getMessage());
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Lookups answered from the cache (or by joining one in flight) since start. */
  public long hits() {
    return hits.get();
  }

  /** Expired answers dropped to make room, since start. */
  public long evictedExpired() {
    return evictedExpired.get();
  }

  /** Answers still fresh but least recently used, dropped to make room, since start. */
  public long evictedLeastRecentlyUsed() {
    return evictedLeastRecentlyUsed.get();
  }

  /** Answers held now (tests). */
  int size() {
    synchronized (lock) {
      return entries.size();
    }
  }
}
