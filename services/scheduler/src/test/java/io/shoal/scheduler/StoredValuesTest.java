package io.shoal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.RestartPolicy;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoredValuesTest {
  static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  private static com.google.protobuf.Duration duration(long seconds, int nanos) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  @ParameterizedTest(name = "{0}s {1}ns reads as {2}")
  @CsvSource({
      "5, 0, PT5S",
      "0, 500000000, PT0.5S",
      "-1, 0, PT0S",
      "0, -1, PT0S",
      "-9223372036854775808, -999999999, PT0S",
      "100000000000000000, 0, PT2562047H47M16.854775807S",
      "9223372036854775807, 999999999, PT2562047H47M16.854775807S",
      "9223372036, 854775807, PT2562047H47M16.854775807S",
      "9223372036, 999999999, PT2562047H47M16.854775807S"})
  void durationsAreClampedToZeroAndGosLongest(long seconds, int nanos, String expected) {
    assertThat(StoredValues.duration(duration(seconds, nanos))).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "{0}s {1}ns: known {2}")
  @CsvSource({
      "1800000000, 0, true",
      "0, 0, true",
      "1800000300, 0, true",
      "1800000301, 0, false",
      "253402300799, 999999999, false",
      "253402300800, 0, false",
      "9223372036854775807, 0, false",
      "-1, 0, false",
      "-9223372036854775808, 0, false",
      "1700000000, -1, false",
      "1700000000, 1000000000, false"})
  void timesOutOfRangeOrFarAheadReadAsTheEpoch(long seconds, int nanos, boolean known) {
    Instant read = StoredValues.instant(Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build(), NOW);

    assertThat(read).isEqualTo(known ? Instant.ofEpochSecond(seconds, nanos) : Instant.EPOCH);
  }

  @ParameterizedTest(name = "uint64 {0} -> {1}")
  @CsvSource({"0, 0", "1, 1", "2147483647, 2147483647", "2147483648, 2147483647", "4294967296, 2147483647",
      "9223372036854775808, 2147483647", "18446744073709551615, 2147483647"})
  void uint64CountsSaturateToInt(String unsigned, int expected) {
    assertThat(StoredValues.saturatedInt(Long.parseUnsignedLong(unsigned))).isEqualTo(expected);
  }

  @Test
  void theLongestDurationIsAccepted() {
    ServiceSpec spec = ServiceSpec.newBuilder()
        .setUpdateConfig(UpdateConfig.newBuilder().setDelay(duration(9223372036L, 854775807)))
        .setRestartPolicy(RestartPolicy.newBuilder().setWindow(duration(9223372036L, 854775807))).build();

    StoredValues.check(spec);
  }

  @Test
  void eachDurationFieldIsNamedWhenOutOfRange() {
    assertThatThrownBy(() -> StoredValues.check(ServiceSpec.newBuilder()
        .setRollbackConfig(UpdateConfig.newBuilder().setMonitor(duration(9223372036L, 854775808))).build()))
        .isInstanceOf(UnreconcilableServiceException.class)
        .hasMessage("rollback_config.monitor: 9223372036s 854775808ns is above the limit of 9223372036s"
            + " (2^63 ns, Docker's longest duration)");
    assertThatThrownBy(() -> StoredValues.check(ServiceSpec.newBuilder()
        .setRestartPolicy(RestartPolicy.newBuilder().setDelay(duration(0, -5))).build()))
        .hasMessage("restart_policy.delay: 0s -5ns is negative");
    assertThatThrownBy(() -> StoredValues.check(ServiceSpec.newBuilder()
        .setRestartPolicy(RestartPolicy.newBuilder().setWindow(duration(Long.MAX_VALUE, 0))).build()))
        .hasMessageStartingWith("restart_policy.window: 9223372036854775807s is above the limit");
  }
}
