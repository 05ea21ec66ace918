package io.shoal.meshproxy;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A datagram as a task behind the mesh receives it with PROXY protocol v2 on UDP: the header
 * (parsed here by the spec, apart from the proxy's encoder, so a test cannot agree with a bug)
 * and the client's payload after it.
 *
 * @param family the family and transport byte: 0x12 UDP over IPv4, 0x22 UDP over IPv6
 */
public record ProxyV2Datagram(
    int family, InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
  private static final byte[] SIGNATURE = {
      0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  /** Parses one received datagram; fails when it does not start with a v2 PROXY header. */
  public static ProxyV2Datagram parse(DatagramPacket packet) {
    ByteBuffer in = ByteBuffer.wrap(packet.getData(), packet.getOffset(), packet.getLength());
    byte[] signature = new byte[SIGNATURE.length];
    in.get(signature);
    if (!Arrays.equals(signature, SIGNATURE)) {
      throw new IllegalArgumentException("no PROXY v2 signature: " + Arrays.toString(signature));
    }
    int command = in.get() & 0xff;
    if (command != 0x21) {
      throw new IllegalArgumentException("not v2 PROXY: 0x" + Integer.toHexString(command));
    }
    int family = in.get() & 0xff;
    int addressLength = in.getShort() & 0xffff;
    int size = switch (family) {
      case 0x12 -> 4;
      case 0x22 -> 16;
      default -> throw new IllegalArgumentException(
          "not a UDP family: 0x" + Integer.toHexString(family));
    };
    if (addressLength != 2 * size + 4) {
      throw new IllegalArgumentException("address length " + addressLength + " for 0x"
          + Integer.toHexString(family));
    }
    InetAddress src = address(in, size);
    InetAddress dst = address(in, size);
    InetSocketAddress source = new InetSocketAddress(src, in.getShort() & 0xffff);
    InetSocketAddress destination = new InetSocketAddress(dst, in.getShort() & 0xffff);
    byte[] payload = new byte[in.remaining()];
    in.get(payload);
    return new ProxyV2Datagram(family, source, destination, payload);
  }

  private static InetAddress address(ByteBuffer in, int size) {
    byte[] bytes = new byte[size];
    in.get(bytes);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
