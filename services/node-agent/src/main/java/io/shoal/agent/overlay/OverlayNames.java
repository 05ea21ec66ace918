package io.shoal.agent.overlay;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The names and addresses the overlay gives things on a host, derived from the network so that
 * an agent that restarts finds what it made before, and other hosts can program a task's MAC
 * before it exists.
 */
final class OverlayNames {
  /** Linux interface names hold at most 15 bytes; "shl" + 6 hex digits of a 24-bit VNI fits. */
  private static final String BRIDGE_PREFIX = "shl";
  static final String VXLAN_PREFIX = "shv";

  private OverlayNames() {}

  /** The engine's network for a Shoal network: by id, so a network re-created under the same name is a new one. */
  static String engineNetwork(String networkId) {
    return "shoal-" + networkId;
  }

  /** The Linux bridge the engine makes for the network. */
  static String bridge(int vxlanId) {
    return BRIDGE_PREFIX + Integer.toHexString(vxlanId);
  }

  /** The VXLAN device enslaved to that bridge. */
  static String vxlan(int vxlanId) {
    return VXLAN_PREFIX + Integer.toHexString(vxlanId);
  }

  /**
   * The MAC of a task's address, {@code 02:42:} and the address's four bytes: what Docker's
   * bridge driver gives an endpoint by default, set explicitly so every host knows it.
   */
  static String mac(String ipv4) {
    byte[] b = ipv4Bytes(ipv4);
    return String.format("02:42:%02x:%02x:%02x:%02x", b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff);
  }

  /** The address part of {@code 10.0.0.3/24}. */
  static String withoutPrefix(String cidrOrAddress) {
    int slash = cidrOrAddress.indexOf('/');
    return slash < 0 ? cidrOrAddress : cidrOrAddress.substring(0, slash);
  }

  static byte[] ipv4Bytes(String ipv4) {
    if (!ipv4.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
    }
    try {
      return InetAddress.getByName(ipv4).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4, e);
    }
  }
}
