package io.shoal.agent.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OverlayNamesTest {

  @Test
  void theMacIsDockersDefaultForTheAddress() {
    assertThat(OverlayNames.mac("10.9.1.5")).isEqualTo("02:42:0a:09:01:05");
    assertThat(OverlayNames.mac("192.168.255.254")).isEqualTo("02:42:c0:a8:ff:fe");
  }

  @Test
  void deviceNamesFitLinuxsFifteenBytesForEveryVxlanId() {
    assertThat(OverlayNames.vxlan(16_777_215)).isEqualTo("shvffffff").hasSizeLessThanOrEqualTo(15);
    assertThat(OverlayNames.bridge(4096)).isEqualTo("shl1000");
  }

  @Test
  void aNameIsNotAnAddress() {
    assertThatThrownBy(() -> OverlayNames.mac("api")).isInstanceOf(IllegalArgumentException.class);
  }
}
