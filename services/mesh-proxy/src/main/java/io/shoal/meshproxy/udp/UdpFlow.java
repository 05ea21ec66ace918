package io.shoal.meshproxy.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.shoal.meshproxy.routes.Backend;
import java.net.InetSocketAddress;

/**
 * One client's flow through a published UDP port: the datagram channel connected to the
 * backend chosen for that client. Datagrams the client sends before the channel is connected
 * are sent once it is, in order (listeners of one future run in the order they were added, on
 * the flow's event loop).
 *
 * <p>Threading: touched only on the listener's event loop, which the backend channel shares.
 */
final class UdpFlow {
  private final InetSocketAddress client;
  private final Backend backend;
  private final ChannelFuture connected;
  private final long startNanos = System.nanoTime();
  private long lastActiveNanos = startNanos;
  private boolean answered;

  UdpFlow(InetSocketAddress client, Backend backend, ChannelFuture connected) {
    this.client = client;
    this.backend = backend;
    this.connected = connected;
  }

  InetSocketAddress client() {
    return client;
  }

  Backend backend() {
    return backend;
  }

  Channel channel() {
    return connected.channel();
  }

  /** Sends one client datagram to the backend; dropped (and released) if it cannot keep up. */
  void send(ByteBuf payload) {
    lastActiveNanos = System.nanoTime();
    connected.addListener((ChannelFutureListener) done -> {
      Channel channel = done.channel();
      if (done.isSuccess() && channel.isActive() && channel.isWritable()) {
        channel.writeAndFlush(payload, channel.voidPromise());
      } else {
        payload.release();
      }
    });
  }

  /** Marks a reply; returns the nanoseconds since the flow began for its first reply, else -1. */
  long onReply() {
    lastActiveNanos = System.nanoTime();
    if (answered) {
      return -1;
    }
    answered = true;
    return lastActiveNanos - startNanos;
  }

  boolean idleSince(long nanos) {
    return lastActiveNanos < nanos;
  }

  void close() {
    connected.channel().close();
  }
}
