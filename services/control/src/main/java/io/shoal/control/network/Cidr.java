package io.shoal.control.network;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An IPv4 range in CIDR notation, {@code 10.0.9.0/24}: its first address and prefix length. The
 * address is kept as an unsigned 32-bit value in a long, so ranges compare and add without sign
 * tricks.
 *
 * @param base the first address, host bits zero
 * @param prefix the prefix length, 0..32
 */
public record Cidr(long base, int prefix) implements Comparable<Cidr> {
  public Cidr {
    if (prefix < 0 || prefix > 32 || (base & ~mask(prefix)) != 0 || base < 0 || base > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("not a CIDR block: " + base + "/" + prefix);
    }
  }

  /**
   * Parses {@code a.b.c.d/n}. The message says what is wrong, in Docker's words where it has them
   * ("10.0.9.1/24" is refused naming 10.0.9.0/24).
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("\"" + text + "\" is not in CIDR notation (e.g. 10.0.9.0/24)");
    }
    long address = address(text.substring(0, slash), text);
    String length = text.substring(slash + 1);
    if (length.isEmpty() || length.length() > 2 || !length.chars().allMatch(Character::isDigit)
        || Integer.parseInt(length) > 32) {
      throw new IllegalArgumentException("\"" + text + "\" has no prefix length 0-32");
    }
    int prefix = Integer.parseInt(length);
    long base = address & mask(prefix);
    if (base != address) {
      throw new IllegalArgumentException("\"" + text + "\" has host bits set: it should be "
          + format(base) + "/" + prefix);
    }
    return new Cidr(base, prefix);
  }

  /** A dotted-quad IPv4 address as an unsigned value; {@code whole} is what the user wrote. */
  static long address(String text, String whole) {
    if (!InetAddresses.isInetAddress(text)) {
      throw new IllegalArgumentException("\"" + whole + "\" is not an IP address");
    }
    InetAddress parsed = InetAddresses.forString(text);
    if (!(parsed instanceof Inet4Address)) {
      throw new IllegalArgumentException("\"" + whole + "\" is IPv6; only IPv4 networks are supported");
    }
    byte[] b = parsed.getAddress();
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
  }

  static String format(long address) {
    return (address >>> 24 & 0xFF) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "."
        + (address & 0xFF);
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
  }

  /** How many addresses it holds. */
  long size() {
    return 1L << (32 - prefix);
  }

  /** Its last address (the broadcast address of a subnet). */
  long last() {
    return base + size() - 1;
  }

  boolean contains(long address) {
    return address >= base && address <= last();
  }

  /** Whether {@code other} lies wholly inside this range. */
  boolean contains(Cidr other) {
    return contains(other.base) && contains(other.last());
  }

  /** CIDR blocks either nest or are apart, so two overlap when one holds the other's first address. */
  boolean overlaps(Cidr other) {
    return contains(other.base) || other.contains(base);
  }

  @Override
  public int compareTo(Cidr other) {
    return base != other.base ? Long.compare(base, other.base) : Integer.compare(prefix, other.prefix);
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }
}
