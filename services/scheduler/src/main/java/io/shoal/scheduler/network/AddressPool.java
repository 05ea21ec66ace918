package io.shoal.scheduler.network;

import com.google.common.net.InetAddresses;
import io.shoal.api.v1.IpamConfig;
import java.net.Inet4Address;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The IPv4 addresses of one network that tasks and virtual IPs may have: the ip range (the whole
 * subnet when none is set) without the subnet's first address (the network's), its last (the
 * broadcast) and the gateway. Hands out the lowest free address; pure, the scheduler makes one per
 * network each pass. It holds only the addresses in use, so a /8 costs what its tasks cost, and a
 * hint below which nothing is free keeps a pass's allocations from rescanning the range.
 */
public final class AddressPool {
  private final long rangeBase;
  private final long rangeEnd;
  private final int prefix;
  private final Set<Long> used = new HashSet<>();
  /** Every address of the range below it is used. */
  private long next;

  /**
   * A pool over {@code ipam}, everything free but the reserved addresses.
   *
   * @throws IllegalArgumentException if the subnet, ip range or gateway does not parse, or the
   *     range lies outside the subnet
   */
  public AddressPool(IpamConfig ipam) {
    long[] subnet = cidr(ipam.getSubnet());
    long[] range = ipam.getIpRange().isEmpty() ? subnet : cidr(ipam.getIpRange());
    long subnetEnd = subnet[0] + size((int) subnet[1]);
    if (range[0] < subnet[0] || range[0] + size((int) range[1]) > subnetEnd) {
      throw new IllegalArgumentException("ip range " + ipam.getIpRange() + " is outside subnet " + ipam.getSubnet());
    }
    this.prefix = (int) subnet[1];
    this.rangeBase = range[0];
    this.rangeEnd = range[0] + size((int) range[1]);
    this.next = rangeBase;
    if (prefix < 31) {
      // A /31 or /32 has no network or broadcast address to keep out (RFC 3021).
      reserve(subnet[0]);
      reserve(subnetEnd - 1);
    }
    if (!ipam.getGateway().isEmpty()) {
      reserve(address(ipam.getGateway()));
    }
  }

  /** Takes the lowest free address, as {@code a.b.c.d/prefix}; empty when none is left. */
  public Optional<String> allocate() {
    while (next < rangeEnd && used.contains(next)) {
      next++;
    }
    if (next >= rangeEnd) {
      return Optional.empty();
    }
    used.add(next);
    return Optional.of(format(next++) + "/" + prefix);
  }

  /**
   * Marks {@code cidrAddress} ({@code a.b.c.d/prefix} or a bare address) as taken; one outside
   * the range is ignored (it was given before the range was set, and is not ours to hand out).
   */
  public void markUsed(String cidrAddress) {
    reserve(address(bare(cidrAddress)));
  }

  /** Gives {@code cidrAddress} back. */
  public void release(String cidrAddress) {
    long a = address(bare(cidrAddress));
    if (inRange(a) && used.remove(a)) {
      next = Math.min(next, a);
    }
  }

  /** Whether {@code cidrAddress} is taken (reserved or handed out). */
  public boolean used(String cidrAddress) {
    return used.contains(address(bare(cidrAddress)));
  }

  /** The address without its prefix length: the key it has in the address index. */
  public static String bare(String cidrAddress) {
    int slash = cidrAddress.indexOf('/');
    return slash < 0 ? cidrAddress : cidrAddress.substring(0, slash);
  }

  private void reserve(long a) {
    if (inRange(a)) {
      used.add(a);
    }
  }

  private boolean inRange(long a) {
    return a >= rangeBase && a < rangeEnd;
  }

  private static long size(int prefix) {
    return 1L << (32 - prefix);
  }

  /** {base, prefix} of {@code a.b.c.d/n}, host bits cleared. */
  private static long[] cidr(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("\"" + text + "\" is not in CIDR notation");
    }
    int prefix = Integer.parseInt(text.substring(slash + 1));
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("\"" + text + "\" has no prefix length 0-32");
    }
    long mask = (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
    return new long[] {address(text.substring(0, slash)) & mask, prefix};
  }

  private static long address(String text) {
    if (!(InetAddresses.forString(text) instanceof Inet4Address v4)) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
    }
    return Integer.toUnsignedLong(InetAddresses.coerceToInteger(v4));
  }

  private static String format(long a) {
    return InetAddresses.toAddrString(InetAddresses.fromInteger((int) a));
  }
}
