package io.shoal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResolutionCacheTest {
  /** A clock the test moves by hand. */
  static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final FakeClock clock = new FakeClock();
  private final AtomicInteger calls = new AtomicInteger();

  private String lookup() {
    return "sha256:" + calls.incrementAndGet();
  }

  @Test
  void answersWithinTheTtlComeFromTheCache() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ofSeconds(10), clock);

    assertThat(cache.get("a:1", false, this::lookup)).isEqualTo("sha256:1");
    clock.now = clock.now.plusSeconds(9);
    assertThat(cache.get("a:1", false, this::lookup)).isEqualTo("sha256:1");
    clock.now = clock.now.plusSeconds(1);
    assertThat(cache.get("a:1", false, this::lookup)).isEqualTo("sha256:2");
    assertThat(cache.get("b:1", false, this::lookup)).isEqualTo("sha256:3");
  }

  @Test
  void refreshAsksAgainAndReplacesTheAnswer() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ofMinutes(10), clock);
    cache.get("a:1", false, this::lookup);

    assertThat(cache.get("a:1", true, this::lookup)).isEqualTo("sha256:2");
    assertThat(cache.get("a:1", false, this::lookup)).isEqualTo("sha256:2");
  }

  @Test
  void failuresAreNotCached() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ofMinutes(10), clock);

    assertThatThrownBy(() -> cache.get("a:1", false, () -> {
      throw new ManifestResolver.UnresolvedException("registry down");
    })).hasMessage("registry down");
    assertThat(cache.get("a:1", false, this::lookup)).isEqualTo("sha256:1");
  }

  @Test
  void aBurstOfConcurrentLookupsAsksTheRegistryOnce() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ofSeconds(10), clock);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        answers.add(pool.submit(() -> cache.get("a:1", false, () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new ManifestResolver.UnresolvedException("interrupted");
          }
          return lookup();
        })));
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool instanceof
          java.util.concurrent.ThreadPoolExecutor t && t.getActiveCount() == 8);
      release.countDown();
      for (var answer : answers) {
        assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("sha256:1");
      }
      assertThat(calls).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theCacheHoldsAtMostItsSizeDroppingTheLeastRecentlyUsed() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ofMinutes(10), 3, clock);
    for (int i = 0; i < 3; i++) {
      cache.get("app:" + i, false, this::lookup);
    }
    cache.get("app:0", false, this::lookup);

    for (int i = 3; i < 10; i++) {
      cache.get("app:" + i, false, this::lookup);
    }

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.evictedLeastRecentlyUsed()).isEqualTo(7);
    assertThat(cache.evictedExpired()).isZero();
    assertThat(cache.get("app:9", false, this::lookup)).isEqualTo("sha256:10");
    assertThat(cache.get("app:0", false, this::lookup)).isEqualTo("sha256:11");
  }

  @Test
  void aRecentlyUsedAnswerOutlivesOlderOnes() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ofMinutes(10), 2, clock);
    cache.get("a:1", false, this::lookup);
    cache.get("b:1", false, this::lookup);
    cache.get("a:1", false, this::lookup);

    cache.get("c:1", false, this::lookup);

    assertThat(cache.get("a:1", false, this::lookup)).isEqualTo("sha256:1");
    assertThat(cache.get("b:1", false, this::lookup)).isEqualTo("sha256:4");
  }

  @Test
  void anExpiredAnswerGoesBeforeAFreshOneEvenWhenMoreRecentlyUsed() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ofSeconds(10), 2, clock);
    cache.get("expiring:1", false, this::lookup);
    clock.now = clock.now.plusSeconds(5);
    cache.get("fresh:1", false, this::lookup);
    clock.now = clock.now.plusSeconds(1);
    cache.get("expiring:1", false, this::lookup);
    clock.now = clock.now.plusSeconds(5);

    cache.get("new:1", false, this::lookup);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.evictedExpired()).isEqualTo(1);
    assertThat(cache.evictedLeastRecentlyUsed()).isZero();
    assertThat(cache.get("fresh:1", false, this::lookup)).isEqualTo("sha256:2");
  }

  @Test
  void zeroTtlAlwaysAsks() throws Exception {
    ResolutionCache cache = new ResolutionCache(Duration.ZERO, clock);
    cache.get("a:1", false, this::lookup);

    assertThat(cache.get("a:1", false, this::lookup)).isEqualTo("sha256:2");
  }
}
