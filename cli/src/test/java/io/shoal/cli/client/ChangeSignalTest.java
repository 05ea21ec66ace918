package io.shoal.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChangeSignalTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  @Test
  void aNoticeDuringTheReadWakesTheNextWaitAtOnce() throws InterruptedException {
    ChangeSignal changes = new ChangeSignal();
    long seen = changes.seen(); // taken before reading
    changes.notice(); // arrives while reading

    changes.awaitAfter(seen, LONG); // would block for minutes if the notice were lost

    assertThat(changes.seen()).isEqualTo(seen + 1);
  }

  @Test
  void aWaiterSleepsUntilANoticeItHasNotSeen() {
    ChangeSignal changes = new ChangeSignal();
    long seen = changes.seen();
    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
      try {
        changes.awaitAfter(seen, LONG);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(waiting).isNotDone();

    changes.notice();

    await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);
  }

  @Test
  void withoutANoticeTheWaitEndsAfterItsLongest() throws InterruptedException {
    ChangeSignal changes = new ChangeSignal();
    changes.awaitAfter(changes.seen(), Duration.ZERO);
    assertThat(changes.seen()).isZero();
  }
}
