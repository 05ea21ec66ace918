package io.shoal.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Recent tag → digest answers, kept for a TTL so a burst of creates asks the registry once:
 * concurrent lookups of one key share a single registry call. Only digests are kept; a failure
 * is never cached, so a registry that comes back is asked again at once. A refresh (as
 * {@code service update --image} asks for) skips the cached answer and replaces it.
 *
 * <p>The key includes a fingerprint of the credentials, so an answer obtained with one login is
 * never served to another caller. A TTL of zero disables the cache.
 */
public final class ResolutionCache {
  /** One registry call. */
  @FunctionalInterface
  public interface Lookup {
    String digest() throws ManifestResolver.UnresolvedException;
  }

  private record Entry(CompletableFuture<String> digest, Instant expires) {}

  private final Duration ttl;
  private final Clock clock;
  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong hits = new java.util.concurrent.atomic.AtomicLong();

  public ResolutionCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  /** The cached digest of {@code key}, or the result of {@code lookup} (then cached). */
  public String get(String key, boolean refresh, Lookup lookup) throws ManifestResolver.UnresolvedException {
    if (ttl.isZero() || ttl.isNegative()) {
      return lookup.digest();
    }
    CompletableFuture<String> mine = new CompletableFuture<>();
    Entry fresh = new Entry(mine, Instant.MAX);
    Entry winner = entries.compute(key, (k, old) -> {
      boolean usable = old != null && !refresh
          && (!old.digest().isDone() || clock.instant().isBefore(old.expires()));
      return usable ? old : fresh;
    });
    if (winner != fresh) {
      hits.incrementAndGet();
      return await(winner.digest());
    }
    try {
      String digest = lookup.digest();
      entries.replace(key, fresh, new Entry(mine, clock.instant().plus(ttl)));
      mine.complete(digest);
      return digest;
    } catch (ManifestResolver.UnresolvedException | RuntimeException e) {
      entries.remove(key, fresh);
      mine.completeExceptionally(e);
      throw e;
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

  /** Drops every answer (tests, and nothing else). */
  void clear() {
    entries.clear();
  }
}
