package io.shoal.meshproxy.ports;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.meshproxy.metrics.PortStats;
import io.shoal.meshproxy.routes.PortKey;
import org.junit.jupiter.api.Test;

class OpenSlotsTest {
  private static PublishedPort port(int number) {
    PortKey key = PortKey.tcp(number);
    return new PublishedPort(key, new PortStats(key), 0);
  }

  @Test
  void aPortHoldsAtMostItsShareAndTheProxyAtMostItsTotal() {
    OpenSlots slots = new OpenSlots(2, 3);
    PublishedPort a = port(80);
    PublishedPort b = port(81);

    assertThat(slots.tryAcquire(a)).isTrue();
    assertThat(slots.tryAcquire(a)).isTrue();
    assertThat(slots.tryAcquire(a)).as("port a full").isFalse();
    assertThat(slots.tryAcquire(b)).isTrue();
    assertThat(slots.tryAcquire(b)).as("proxy full").isFalse();
    assertThat(slots.open()).isEqualTo(3);

    slots.release(a);
    assertThat(slots.tryAcquire(b)).as("a slot given back").isTrue();
    assertThat(slots.tryAcquire(a)).isFalse();
    assertThat(slots.open()).isEqualTo(3);
  }
}
