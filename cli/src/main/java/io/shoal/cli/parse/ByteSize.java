package io.shoal.cli.parse;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker's RAMInBytes: a number with an optional binary unit b, k, m, g, t (kb, mib, … too). */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

  private ByteSize() {}

  /** @throws IllegalArgumentException when {@code value} is not a size */
  public static long parse(String value) {
    Matcher m = SIZE.matcher(value.toLowerCase(Locale.ROOT).strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + value + "\" is not a size in bytes (e.g. 64m, 1g)");
    }
    int shift = switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      // longValue() would wrap to a negative size (found by CliParsersFuzzTest).
      throw new IllegalArgumentException("\"" + value + "\" is more bytes than a size can hold (at most "
          + Long.MAX_VALUE + ")");
    }
    return bytes.longValue();
  }
}
