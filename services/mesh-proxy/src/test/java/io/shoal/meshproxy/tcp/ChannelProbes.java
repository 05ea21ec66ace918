package io.shoal.meshproxy.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.ArrayList;
import java.util.List;

/** Outbound handlers that let EmbeddedChannel tests see reads and hold writes. */
final class ChannelProbes {
  private ChannelProbes() {}

  /** Counts read requests (what back-pressure is about) and passes them on. */
  static final class ReadCounter extends ChannelOutboundHandlerAdapter {
    int reads;

    @Override
    public void read(ChannelHandlerContext ctx) {
      reads++;
      ctx.read();
    }
  }

  /** Keeps every write pending until the test completes its promise, like a slow socket. */
  static final class HeldWrites extends ChannelOutboundHandlerAdapter {
    final List<Object> messages = new ArrayList<>();
    final List<ChannelPromise> promises = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      messages.add(msg);
      promises.add(promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      // Held: nothing reaches the socket until the test says so.
    }
  }
}
