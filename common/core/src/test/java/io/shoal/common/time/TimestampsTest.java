package io.shoal.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final Instant AT = Instant.ofEpochSecond(1_800_000_000L, 123_456_789);

  @Test
  void anInstantKeepsItsNanosBothWays() {
    Timestamp t = Timestamps.toTimestamp(AT);

    assertThat(t.getSeconds()).isEqualTo(1_800_000_000L);
    assertThat(t.getNanos()).isEqualTo(123_456_789);
    assertThat(Timestamps.toInstant(t)).isEqualTo(AT);
  }

  @Test
  void nowIsTheClocksInstant() {
    assertThat(Timestamps.now(Clock.fixed(AT, ZoneOffset.UTC))).isEqualTo(Timestamps.toTimestamp(AT));
  }

  @Test
  void beforeTheEpochTheNanosStayPositive() {
    Instant before = Instant.ofEpochSecond(-2, 500_000_000);

    assertThat(Timestamps.toTimestamp(before).getSeconds()).isEqualTo(-2);
    assertThat(Timestamps.toTimestamp(before).getNanos()).isEqualTo(500_000_000);
  }

  @Test
  void aTimeOutsideInstantsRangeIsNoInstantRatherThanAnError() {
    assertThat(Timestamps.tryInstant(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build())).isEmpty();
    assertThat(Timestamps.tryInstant(Timestamp.newBuilder().setSeconds(1).setNanos(-1).build())).isEmpty();
    assertThat(Timestamps.tryInstant(Timestamps.toTimestamp(AT))).contains(AT);
  }
}
