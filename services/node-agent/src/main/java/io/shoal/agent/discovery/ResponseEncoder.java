package io.shoal.agent.discovery;

import io.netty.channel.AddressedEnvelope;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsResponse;

/**
 * Netty's response encoder, limited to the responses this server builds: a relayed answer is
 * an {@code AddressedEnvelope} too (a {@code DatagramPacket}), which the plain encoder would
 * take and fail to cast.
 */
final class ResponseEncoder extends DatagramDnsResponseEncoder {
  @Override
  public boolean acceptOutboundMessage(Object msg) {
    return msg instanceof AddressedEnvelope<?, ?> envelope && envelope.content() instanceof DnsResponse;
  }
}
