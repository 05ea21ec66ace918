package io.shoal.agent.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCapAndResets() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    assertThat(java.util.stream.Stream.generate(backoff::next).limit(6).map(Duration::toMillis))
        .containsExactly(200L, 400L, 800L, 1600L, 2000L, 2000L);
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
  }
}
