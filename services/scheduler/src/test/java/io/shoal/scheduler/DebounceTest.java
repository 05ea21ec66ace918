package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DebounceTest {
  private static final long MS = 1_000_000;
  private final Debounce debounce = new Debounce(Duration.ofMillis(50), Duration.ofSeconds(1), 0);

  @Test
  void theFirstChangeAfterAnIdleGapIsDueAtOnce() {
    debounce.changed(500 * MS);
    assertThat(debounce.dirty()).isTrue();
    assertThat(debounce.dueIn(500 * MS)).isLessThanOrEqualTo(0);
  }

  @Test
  void aChangeSoonAfterAPassWaitsForTheQuietGap() {
    debounce.changed(500 * MS);
    debounce.passStarts();
    debounce.passEnds(510 * MS);

    debounce.changed(520 * MS); // e.g. the pass's own writes coming back

    assertThat(debounce.dueIn(520 * MS)).isEqualTo(50 * MS);
  }

  @Test
  void aChangeDuringAPassWaitsForTheQuietGap() {
    debounce.changed(500 * MS);
    debounce.passStarts();

    debounce.changed(700 * MS); // long after the last pass ended, but one runs now

    assertThat(debounce.dueIn(700 * MS)).isEqualTo(50 * MS);
  }

  @Test
  void changesKeepPushingThePassBackUpToTheMaximumDelay() {
    debounce.changed(500 * MS);
    debounce.passStarts();
    debounce.passEnds(500 * MS);
    for (long t = 510; t <= 1_500; t += 10) {
      debounce.changed(t * MS);
    }
    assertThat(debounce.dueIn(1_500 * MS)).isEqualTo(10 * MS); // 1 s after the first, 510 ms
  }

  @Test
  void aTimerThatRanOutIsDueAtOnceAndNothingIsDueWhileClean() {
    assertThat(debounce.dirty()).isFalse();
    debounce.timerRanOut(20 * MS); // even right after the start
    assertThat(debounce.dueIn(20 * MS)).isLessThanOrEqualTo(0);
  }
}
