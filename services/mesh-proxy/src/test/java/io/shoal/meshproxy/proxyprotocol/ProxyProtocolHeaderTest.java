package io.shoal.meshproxy.proxyprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyProtocolHeaderTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private static byte[] encode(ProxyProtocol version, Protocol transport, String src, int srcPort,
      String dst, int dstPort) {
    ByteBuf buf = ProxyProtocolHeader.encode(version, transport,
        new InetSocketAddress(src, srcPort), new InetSocketAddress(dst, dstPort), ALLOC);
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0}:{1} -> {2}:{3}")
  @CsvSource(delimiter = '|', value = {
      "203.0.113.7 | 51234 | 127.0.0.2 | 8080 | PROXY TCP4 203.0.113.7 127.0.0.2 51234 8080",
      "2001:db8::1 | 1     | ::1       | 443  | PROXY TCP6 2001:db8:0:0:0:0:0:1 0:0:0:0:0:0:0:1 1 443",
      "203.0.113.7 | 51234 | ::1       | 443  | PROXY UNKNOWN",
  })
  void v1IsOneTextLine(String src, int srcPort, String dst, int dstPort, String line) {
    assertThat(new String(encode(ProxyProtocol.PROXY_PROTOCOL_V1, Protocol.PROTOCOL_TCP,
        src, srcPort, dst, dstPort), StandardCharsets.US_ASCII)).isEqualTo(line + "\r\n");
  }

  /**
   * Signature, version and command (0x21: v2, PROXY), family and transport, address length,
   * source address, destination address, source port, destination port; all big-endian.
   */
  @ParameterizedTest(name = "{0} {1}:{2} -> {3}:{4}")
  @CsvSource(delimiter = '|', value = {
      "PROTOCOL_TCP | 10.1.2.3    | 43981 | 127.0.0.2 | 8080 | "
          + "0d0a0d0a000d0a515549540a 21 11 000c 0a010203 7f000002 abcd 1f90",
      "PROTOCOL_UDP | 203.0.113.7 | 51234 | 127.0.0.2 | 5353 | "
          + "0d0a0d0a000d0a515549540a 21 12 000c cb007107 7f000002 c822 14e9",
      "PROTOCOL_TCP | 2001:db8::1 | 1     | ::1       | 2    | "
          + "0d0a0d0a000d0a515549540a 21 21 0024"
          + " 20010db8000000000000000000000001 00000000000000000000000000000001 0001 0002",
      "PROTOCOL_UDP | 2001:db8::7 | 53000 | fd00::2   | 53   | "
          + "0d0a0d0a000d0a515549540a 21 22 0024"
          + " 20010db8000000000000000000000007 fd000000000000000000000000000002 cf08 0035",
      // Mixed families: AF_UNSPEC, no addresses.
      "PROTOCOL_TCP | 10.1.2.3    | 1     | ::1       | 2    | 0d0a0d0a000d0a515549540a 21 00 0000",
      "PROTOCOL_UDP | 2001:db8::7 | 1     | 127.0.0.2 | 2    | 0d0a0d0a000d0a515549540a 21 00 0000",
  })
  void v2IsBinaryWithTheTransportInTheFamilyByte(Protocol transport, String src, int srcPort,
      String dst, int dstPort, String hex) {
    byte[] header = encode(ProxyProtocol.PROXY_PROTOCOL_V2, transport, src, srcPort, dst, dstPort);

    assertThat(ByteBufUtil.hexDump(header)).isEqualTo(hex.replace(" ", ""));
  }

  @Test
  void v1HasNoUdpForm() {
    assertThatThrownBy(() -> encode(ProxyProtocol.PROXY_PROTOCOL_V1, Protocol.PROTOCOL_UDP,
        "10.1.2.3", 1, "127.0.0.1", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v1 has no form for PROTOCOL_UDP");
  }

  @Test
  void noneHasNoHeader() {
    assertThatThrownBy(() -> encode(ProxyProtocol.PROXY_PROTOCOL_NONE, Protocol.PROTOCOL_TCP,
        "10.1.2.3", 1, "127.0.0.1", 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLinkLocalClientsZoneIsLeftOutOfAV1Header() throws Exception {
    // Found by ProxyProtocolFuzzTest: Java writes the zone ("%1"), which HAProxy's grammar has not.
    InetSocketAddress client = new InetSocketAddress(
        java.net.Inet6Address.getByAddress(null, java.net.InetAddress.getByName("fe80::1").getAddress(), 1), 40000);
    ByteBuf buf = ProxyProtocolHeader.encode(ProxyProtocol.PROXY_PROTOCOL_V1, Protocol.PROTOCOL_TCP, client,
        new InetSocketAddress("::1", 8080), UnpooledByteBufAllocator.DEFAULT);
    try {
      assertThat(buf.toString(StandardCharsets.US_ASCII)).isEqualTo("PROXY TCP6 fe80:0:0:0:0:0:0:1 0:0:0:0:0:0:0:1 40000 8080\r\n");
    } finally {
      buf.release();
    }
  }
}
