package io.shoal.meshproxy.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection as its port's slots see it: when a byte last went either way, and
 * whether it still holds its slot. First in the client's pipeline, it stamps every read and
 * every write ({@link ClientConnections} picks the quietest by these stamps).
 */
final class ClientConnection extends ChannelDuplexHandler {
  private final Channel channel;
  private final AtomicBoolean holdsSlot = new AtomicBoolean(true);
  // Read by acceptors on other I/O threads.
  private volatile long lastActive = System.nanoTime();

  ClientConnection(Channel channel) {
    this.channel = channel;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastActive = System.nanoTime();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActive = System.nanoTime();
    ctx.write(msg, promise);
  }

  long lastActive() {
    return lastActive;
  }

  /**
   * Gives up the slot: true for exactly one caller, either the close that releases it or the
   * newcomer that takes it over, so a slot is never released twice nor lost.
   */
  boolean giveUpSlot() {
    return holdsSlot.compareAndSet(true, false);
  }

  Channel channel() {
    return channel;
  }
}
