package io.shoal.meshproxy.proxyprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.api.v1.ProxyProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyProtocolHeaderTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private static byte[] encode(ProxyProtocol version, String src, int srcPort, String dst,
      int dstPort) {
    ByteBuf buf = ProxyProtocolHeader.encode(version, new InetSocketAddress(src, srcPort),
        new InetSocketAddress(dst, dstPort), ALLOC);
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
    assertThat(new String(encode(ProxyProtocol.PROXY_PROTOCOL_V1, src, srcPort, dst, dstPort),
        StandardCharsets.US_ASCII)).isEqualTo(line + "\r\n");
  }

  @Test
  void v2ForIpv4IsTheSignatureAndTwelveAddressBytes() {
    byte[] header = encode(ProxyProtocol.PROXY_PROTOCOL_V2, "10.1.2.3", 0xABCD, "127.0.0.2",
        8080);

    assertThat(ByteBufUtil.hexDump(header)).isEqualTo(
        "0d0a0d0a000d0a515549540a" + "21" + "11" + "000c"
            + "0a010203" + "7f000002" + "abcd" + "1f90");
  }

  @Test
  void v2ForIpv6CarriesThirtySixAddressBytes() {
    byte[] header = encode(ProxyProtocol.PROXY_PROTOCOL_V2, "2001:db8::1", 1, "::1", 2);

    assertThat(header).hasSize(16 + 36);
    assertThat(header[13]).isEqualTo((byte) 0x21);
    assertThat(((header[14] & 0xff) << 8) | (header[15] & 0xff)).isEqualTo(36);
  }

  @Test
  void v2ForMixedFamiliesHasNoAddresses() {
    byte[] header = encode(ProxyProtocol.PROXY_PROTOCOL_V2, "10.1.2.3", 1, "::1", 2);

    assertThat(ByteBufUtil.hexDump(header)).isEqualTo("0d0a0d0a000d0a515549540a" + "21000000");
  }

  @Test
  void noneHasNoHeader() {
    assertThatThrownBy(() -> encode(ProxyProtocol.PROXY_PROTOCOL_NONE, "10.1.2.3", 1,
        "127.0.0.1", 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
