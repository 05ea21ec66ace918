package io.shoal.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import org.junit.jupiter.api.Test;

class StreamLimitTest {
  @Test
  void pastTheLimitAStreamIsRefusedNamingItAndAClosedPlaceIsFreeAgain() {
    StreamLimit limit = new StreamLimit("log streams", "this node", 2);
    StreamLimit.Place first = limit.enter();
    limit.enter();

    assertThatThrownBy(limit::enter).isInstanceOfSatisfying(ShoalException.class,
        e -> assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .hasMessage("this node has 2 log streams open already (its limit); retry when one ends");
    first.close();
    assertThat(limit.open()).isEqualTo(1);
    limit.enter();
    assertThat(limit.open()).isEqualTo(2);
  }

  @Test
  void aPlaceClosedTwiceIsGivenBackOnce() {
    StreamLimit limit = new StreamLimit("logs calls", "control", 2);
    StreamLimit.Place place = limit.enter();
    limit.enter();

    place.close();
    place.close();

    assertThat(limit.open()).isEqualTo(1);
  }
}
