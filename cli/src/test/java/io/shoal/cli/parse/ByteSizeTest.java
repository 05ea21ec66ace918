package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
  @Test
  void unitsAreBinaryAsDockersAre() {
    assertThat(ByteSize.parse("64m")).isEqualTo(64L << 20);
    assertThat(ByteSize.parse("1.5GiB")).isEqualTo(3L << 29);
    assertThat(ByteSize.parse("100")).isEqualTo(100);
  }

  @Test
  void aSizePastALongIsRefusedNotWrappedToANegative() {
    // Found by CliParsersFuzzTest: longValue() gave -9223372036854775808.
    assertThatThrownBy(() -> ByteSize.parse("9223372036854775808"))
        .hasMessage("\"9223372036854775808\" is more bytes than a size can hold (at most 9223372036854775807)");
    assertThatThrownBy(() -> ByteSize.parse("9000000t")).hasMessageContaining("more bytes than a size can hold");
    assertThat(ByteSize.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
  }
}
