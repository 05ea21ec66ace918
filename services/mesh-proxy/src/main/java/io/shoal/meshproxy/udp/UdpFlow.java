package io.shoal.meshproxy.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.shoal.meshproxy.routes.Backend;
import java.net.InetSocketAddress;

/**
 * One client's flow through a published UDP port: the datagram channel connected to the
 * backend chosen for that client, and the PROXY header, if the port has one, that goes in front
 * of each datagram to it. Datagrams the client sends before the channel is connected
 * are sent once it is, in order (listeners of one future run in the order they were added, on
 * the flow's event loop).
 *
 * <p>Threading: touched only on the listener's event loop, which the backend channel shares.
 */
final class UdpFlow {
  private final InetSocketAddress client;
  private final Backend backend;
  private final ChannelFuture connected;
  private final ProxyHeaderPrefix prefix;
  private final long startNanos = System.nanoTime();
  private long lastActiveNanos = startNanos;
  private boolean answered;

  UdpFlow(InetSocketAddress client, Backend backend, ChannelFuture connected,
      ProxyHeaderPrefix prefix) {
    this.client = client;
    this.backend = backend;
    this.connected = connected;
    this.prefix = prefix;
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

  /**
   * Sends one client datagram to the backend, behind the flow's PROXY header if any; dropped
   * (and released) if the flow cannot keep up. Returns false when it is dropped at once because
   * the header would make it too large for one datagram.
   */
  boolean send(ByteBuf payload) {
    lastActiveNanos = System.nanoTime();
    ByteBuf datagram = prefix.prepend(payload, connected.channel().alloc());
    if (datagram == null) {
      return false;
    }
    connected.addListener((ChannelFutureListener) done -> {
      Channel channel = done.channel();
      if (done.isSuccess() && channel.isActive() && channel.isWritable()) {
        channel.writeAndFlush(datagram, channel.voidPromise());
      } else {
        datagram.release();
      }
    });
    return true;
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
