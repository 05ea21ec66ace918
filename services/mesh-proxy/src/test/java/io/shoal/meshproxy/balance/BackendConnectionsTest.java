package io.shoal.meshproxy.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Counting and draining on EmbeddedChannels, whose clock the test moves. */
class BackendConnectionsTest {
  private final BackendConnections connections = new BackendConnections(Duration.ofSeconds(10));

  @Test
  void countsOpenConnectionsPerTaskUntilTheyClose() {
    EmbeddedChannel a1 = new EmbeddedChannel();
    EmbeddedChannel a2 = new EmbeddedChannel();
    connections.add("a", a1);
    connections.add("a", a2);
    connections.add("b", new EmbeddedChannel());

    a1.close();

    assertThat(connections.active("a")).isEqualTo(1);
    assertThat(connections.active("b")).isEqualTo(1);
    assertThat(connections.active("never-seen")).isZero();
  }

  @Test
  void aTaskThatLeavesKeepsItsConnectionsForTheDrainTimeoutThenLosesThem() {
    EmbeddedChannel leaving = new EmbeddedChannel();
    EmbeddedChannel staying = new EmbeddedChannel();
    connections.add("old", leaving);
    connections.add("new", staying);

    connections.retain(Set.of("new"));
    leaving.advanceTimeBy(9, TimeUnit.SECONDS);
    leaving.runScheduledPendingTasks();
    assertThat(leaving.isOpen()).as("still draining").isTrue();
    assertThat(connections.drainingTasks()).containsExactly("old");

    leaving.advanceTimeBy(1, TimeUnit.SECONDS);
    leaving.runScheduledPendingTasks();

    assertThat(leaving.isOpen()).isFalse();
    assertThat(staying.isOpen()).isTrue();
    assertThat(connections.active("old")).isZero();
  }

  @Test
  void aConnectionOpenedToADrainingTaskDrainsToo() {
    EmbeddedChannel first = new EmbeddedChannel();
    connections.add("old", first);
    connections.retain(Set.of());

    EmbeddedChannel late = new EmbeddedChannel();
    connections.add("old", late);
    late.advanceTimeBy(10, TimeUnit.SECONDS);
    late.runScheduledPendingTasks();

    assertThat(late.isOpen()).isFalse();
  }

  @Test
  void aTaskThatComesBackBeforeTheDeadlineKeepsItsConnections() {
    EmbeddedChannel channel = new EmbeddedChannel();
    connections.add("flapping", channel);
    connections.retain(Set.of());

    connections.retain(Set.of("flapping"));
    channel.advanceTimeBy(10, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isTrue();
    assertThat(connections.drainingTasks()).isEmpty();
  }
}
