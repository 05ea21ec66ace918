package io.shoal.meshproxy.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyHeaderPrefixTest {
  private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

  private static InetSocketAddress at(String host, int port) {
    return new InetSocketAddress(host, port);
  }

  @Test
  void eachDatagramIsTheHeaderThenThePayloadIntact() {
    ProxyHeaderPrefix prefix = ProxyHeaderPrefix.v2(
        at("203.0.113.7", 51234), at("127.0.0.2", 5353), at("127.0.0.3", 40000));
    ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});

    ByteBuf datagram = prefix.prepend(payload, ALLOC);

    assertThat(ByteBufUtil.hexDump(datagram)).isEqualTo("0d0a0d0a000d0a515549540a" + "2112000c"
        + "cb007107" + "7f000002" + "c822" + "14e9" + "010203");
    assertThat(payload.refCnt()).as("the payload is copied and released").isZero();
    datagram.release();
  }

  /**
   * The header counts against the largest UDP payload towards the backend: 65,507 bytes over
   * IPv4, 65,527 over IPv6. The v2 header is 28 bytes for IPv4 addresses, 52 for IPv6.
   */
  @ParameterizedTest(name = "{0} via {1} to {2}: {3} bytes fit, {4} do not")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.9   | 127.0.0.1 | 127.0.0.3 | 65479 | 65480",
      "2001:db8::7 | ::1       | ::1       | 65475 | 65476",
      "127.0.0.9   | 127.0.0.1 | ::1       | 65499 | 65500",
      "2001:db8::7 | ::1       | 127.0.0.3 | 65455 | 65456",
  })
  void aPayloadThatWouldNotFitBehindTheHeaderIsDropped(String client, String published,
      String backend, int largest, int tooLarge) {
    ProxyHeaderPrefix prefix = ProxyHeaderPrefix.v2(at(client, 1000), at(published, 53),
        at(backend, 53));
    ByteBuf dropped = Unpooled.wrappedBuffer(new byte[tooLarge]);

    ByteBuf fits = prefix.prepend(Unpooled.wrappedBuffer(new byte[largest]), ALLOC);

    assertThat(fits).isNotNull();
    fits.release();
    assertThat(prefix.prepend(dropped, ALLOC)).isNull();
    assertThat(dropped.refCnt()).as("released").isZero();
  }

  @Test
  void anUnresolvedBackendGetsTheSmallerIpv4Limit() {
    ProxyHeaderPrefix prefix = ProxyHeaderPrefix.v2(at("::1", 1000), at("::1", 53),
        InetSocketAddress.createUnresolved("dns.internal", 53));

    assertThat(prefix.prepend(Unpooled.wrappedBuffer(new byte[65_507 - 52 + 1]), ALLOC)).isNull();
  }

  @Test
  void withoutAHeaderTheDatagramPassesAsItIs() {
    ByteBuf payload = Unpooled.wrappedBuffer(new byte[65_507]);

    assertThat(ProxyHeaderPrefix.NONE.prepend(payload, ALLOC)).isSameAs(payload);
    assertThat(payload.refCnt()).isOne();
    payload.release();
  }
}
