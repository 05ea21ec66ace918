package io.shoal.control.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VxlanIdsTest {
  @Test
  void theFirstNetworkGets4096AsSwarmsDoes() {
    assertThat(VxlanIds.lowestFree(List.of())).isEqualTo(4096);
  }

  @Test
  void takesTheLowestGapWhateverTheOrder() {
    assertThat(VxlanIds.lowestFree(List.of(4098, 4096, 4097))).isEqualTo(4099);
    assertThat(VxlanIds.lowestFree(List.of(4099, 4096, 4098))).isEqualTo(4097);
  }

  @Test
  void idsBelowTheFirstDoNotCount() {
    assertThat(VxlanIds.lowestFree(List.of(1, 4095))).isEqualTo(4096);
  }

  @Test
  void whenEveryIdIsTakenItSaysSo() {
    List<Integer> all = IntStream.rangeClosed(4096, 4100).boxed().toList();

    assertThatThrownBy(() -> VxlanIds.lowestFree(all, 4096, 4100))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .hasMessage("every VXLAN id from 4096 to 4100 is taken; remove a network");
    assertThat(VxlanIds.lowestFree(all.subList(1, all.size()), 4096, 4100)).isEqualTo(4096);
  }

  @Test
  void theLastIdIsTheLargest24BitNumber() {
    assertThat(VxlanIds.LAST).isEqualTo(16_777_215);
    assertThat(VxlanIds.lowestFree(List.of(VxlanIds.LAST - 1), VxlanIds.LAST - 1, VxlanIds.LAST)).isEqualTo(VxlanIds.LAST);
  }

  @Test
  void keysThatAreNotIdsTakeNone() {
    assertThat(VxlanIds.parse(List.of("4096", "x", "", "123456789"))).containsExactly(4096);
  }
}
