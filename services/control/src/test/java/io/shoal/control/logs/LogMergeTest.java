package io.shoal.control.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogMergeTest {
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final List<String> sent = new ArrayList<>();
  private final LogMerge<String> merge = new LogMerge<>(LogMerge.sink(ready::get, sent::add));

  @Test
  void aReadyCallerGetsEachResponseAtOnceAndTheSourceIsAskedForMore() {
    AtomicInteger asked = new AtomicInteger();
    merge.offer(asked::incrementAndGet, "a1");
    merge.offer(asked::incrementAndGet, "a2");
    assertThat(sent).containsExactly("a1", "a2");
    assertThat(asked).hasValue(2);
  }

  @Test
  void aCallerNotReadyHoldsTheSourcesUntilItIsReadyAgainAndKeepsTheirOrder() {
    AtomicInteger askedA = new AtomicInteger();
    AtomicInteger askedB = new AtomicInteger();
    ready.set(false);
    merge.offer(askedA::incrementAndGet, "a1");
    merge.offer(askedB::incrementAndGet, "b1");
    assertThat(sent).isEmpty();
    assertThat(askedA).hasValue(0); // a source is not asked for more while its last waits
    assertThat(merge.waiting()).isEqualTo(2);
    ready.set(true);
    merge.drain();
    assertThat(sent).containsExactly("a1", "b1");
    assertThat(askedA).hasValue(1);
    assertThat(askedB).hasValue(1);
    assertThat(merge.waiting()).isZero();
  }

  @Test
  void finishingWaitsForWhatIsStillWaiting() {
    AtomicBoolean finished = new AtomicBoolean();
    ready.set(false);
    merge.offer(() -> {}, "last");
    merge.finish(() -> finished.set(true));
    assertThat(finished).isFalse();
    ready.set(true);
    merge.drain();
    assertThat(sent).containsExactly("last");
    assertThat(finished).isTrue();
    merge.offer(() -> {}, "after");
    assertThat(sent).containsExactly("last");
  }

  @Test
  void anAbandonedMergeSendsNothing() {
    ready.set(false);
    merge.offer(() -> {}, "x");
    merge.abandon();
    ready.set(true);
    merge.drain();
    assertThat(sent).isEmpty();
  }
}
