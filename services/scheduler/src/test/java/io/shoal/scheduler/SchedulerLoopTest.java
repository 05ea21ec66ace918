package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchedulerLoopTest {
  static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  @Test
  void aFarWakeUpSleepsAtMostMaxSleepInsteadOfOverflowingNanoseconds() {
    // A restart delay of up to 2^63 ns from a time up to 5 minutes ahead: beyond Duration.toNanos.
    Instant far = NOW.plus(StoredValues.MAX_CLOCK_SKEW).plus(StoredValues.MAX_DURATION);

    assertThat(SchedulerLoop.sleepNanos(NOW, far)).isEqualTo(SchedulerLoop.MAX_SLEEP.toNanos());
    assertThat(SchedulerLoop.sleepNanos(NOW, Instant.MAX)).isEqualTo(SchedulerLoop.MAX_SLEEP.toNanos());
  }

  @Test
  void aWakeUpDueOrPastSleepsNotAtAll() {
    assertThat(SchedulerLoop.sleepNanos(NOW, NOW.minusSeconds(5))).isZero();
    assertThat(SchedulerLoop.sleepNanos(NOW, Instant.MIN)).isZero();
    assertThat(SchedulerLoop.sleepNanos(NOW, NOW.plusMillis(300))).isEqualTo(Duration.ofMillis(300).toNanos());
  }
}
