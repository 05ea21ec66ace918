package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkView;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The first map always, then only a changed one. */
class SentNetworkMapTest {
  private final SentNetworkMap sent = new SentNetworkMap();

  private static NetworkMap map(String... networkIds) {
    NetworkMap.Builder map = NetworkMap.newBuilder();
    for (String id : networkIds) {
      map.addNetworks(NetworkView.newBuilder().setNetworkId(id).setName(id + "-name"));
    }
    return map.build();
  }

  @Test
  void theFirstMapGoesOutEvenEmpty() {
    assertThat(sent.next(NetworkMap.getDefaultInstance())).contains(NetworkMap.getDefaultInstance());
  }

  @Test
  void anEqualMapIsNotSentAgainAndAChangedOneIs() {
    sent.next(map("a"));

    assertThat(sent.next(map("a"))).isEmpty();
    assertThat(sent.next(map("a", "b"))).contains(map("a", "b"));
    assertThat(sent.next(NetworkMap.getDefaultInstance())).contains(NetworkMap.getDefaultInstance());
    assertThat(sent.next(NetworkMap.getDefaultInstance())).isEmpty();
  }

  @Test
  void aSessionIsConcernedByTheNetworksOfItsLastMapEvenARefusedOne() {
    sent.next(map("a"));
    assertThat(sent.concerns(Set.of("b", "a"))).isTrue();
    assertThat(sent.concerns(Set.of("b"))).isFalse();

    sent.refused(map("a", "b"));

    assertThat(sent.concerns(Set.of("b"))).isTrue();
    // The agent still holds the last map sent, so that one is not sent again.
    assertThat(sent.next(map("a"))).isEmpty();
    assertThat(sent.next(map("a", "b"))).contains(map("a", "b"));
  }
}
