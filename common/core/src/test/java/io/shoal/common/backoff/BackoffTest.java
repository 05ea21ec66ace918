package io.shoal.common.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration MIN = Duration.ofMillis(200);
  private static final Duration MAX = Duration.ofSeconds(2);

  private static List<Long> delays(Backoff backoff, int count) {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      millis.add(backoff.next().toMillis());
    }
    return millis;
  }

  @Test
  void eachDelayIsBetweenHalfAndAllOfTheDoubledStepUpToTheCap() {
    List<Long> millis = delays(new Backoff(MIN, MAX, new Random(7)), 8);

    long[] steps = {200, 400, 800, 1600, 2000, 2000, 2000, 2000};
    for (int i = 0; i < steps.length; i++) {
      assertThat(millis.get(i)).as("delay %d", i).isBetween(steps[i] / 2, steps[i]);
    }
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    assertThat(delays(new Backoff(MIN, MAX, new Random(42)), 10))
        .isEqualTo(delays(new Backoff(MIN, MAX, new Random(42)), 10));
  }

  @Test
  void callersThatFailTogetherDoNotRetryInLockstep() {
    List<Long> firstRetries = new ArrayList<>();
    Random seeds = new Random(1);
    for (int agent = 0; agent < 1000; agent++) {
      Backoff backoff = new Backoff(MIN, MAX, new Random(seeds.nextLong()));
      delays(backoff, 5);
      firstRetries.add(backoff.next().toMillis());
    }

    // At the cap: spread over [1 s, 2 s] rather than all at 2 s.
    assertThat(firstRetries).allSatisfy(d -> assertThat(d).isBetween(1000L, 2000L));
    assertThat(firstRetries.stream().distinct().count()).isGreaterThan(500);
    assertThat(firstRetries.stream().filter(d -> d < 1500).count()).isBetween(400L, 600L);
  }

  @Test
  void resetStartsOverFromTheShortestDelay() {
    Backoff backoff = new Backoff(MIN, MAX, new Random(3));
    delays(backoff, 6);

    backoff.reset();

    assertThat(backoff.next().toMillis()).isBetween(100L, 200L);
  }

  @Test
  void manyFailuresStayAtTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofDays(365), new Random(5));

    assertThat(delays(backoff, 200)).last().satisfies(d -> assertThat(d).isBetween(
        Duration.ofDays(365).toMillis() / 2, Duration.ofDays(365).toMillis()));
  }

  @Test
  void minMustBeAtLeastAMillisecondAndNoMoreThanMax() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(MAX, MIN)).isInstanceOf(IllegalArgumentException.class);
  }
}
