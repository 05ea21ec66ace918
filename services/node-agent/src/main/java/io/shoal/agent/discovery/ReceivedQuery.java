package io.shoal.agent.discovery;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DatagramDnsQuery;

/**
 * A query as decoded and as received: the bytes are what is forwarded, so the upstream sees
 * the client's own id, flags and EDNS options. Both are reference counted.
 */
record ReceivedQuery(DatagramDnsQuery query, ByteBuf raw) {
  ReceivedQuery retain() {
    query.retain();
    raw.retain();
    return this;
  }

  void release() {
    query.release();
    raw.release();
  }
}
