package io.shoal.meshproxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.shoal.meshproxy.metrics.PortStats;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what one side of a proxied connection reads to the other side ({@code peer}). One
 * instance sits on each side: client to backend, and backend to client.
 *
 * <p>Back-pressure: both channels have AUTO_READ off, and this handler asks for the next read
 * only once the previous buffer has been written to the peer, so a slow reader slows its writer
 * down instead of filling memory.
 *
 * <p>Closing: when one side only stops sending (a FIN; both channels allow half-closure), the
 * FIN is passed on to the other side once what was relayed before it is flushed, and the other
 * direction keeps flowing, so {@code echo request | nc -N} still gets its answer. A channel is
 * closed when both its directions are done. When either side closes (or resets), the other is
 * closed after what it still has to write has been flushed.
 *
 * <p>Threading: no volatile and no locks, because both channels share one event loop (the
 * backend is connected on its client's loop).
 *
 * <p>Reference counting: every buffer read is either handed to the peer's write (which releases
 * it) or released here when the peer is gone.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

  static final String HALF_CLOSED = "half-closed";

  private final Channel peer;
  private final LongConsumer bytesRead;
  private final Duration halfClosedTimeout;
  private final PortStats stats;

  /** Without a bound on how long a half-closed connection stays (for tests of the relay alone). */
  public RelayHandler(Channel peer, LongConsumer bytesRead) {
    this(peer, bytesRead, null, null);
  }

  /**
   * @param peer the channel that receives what this one reads
   * @param bytesRead told the size of each buffer read, for the port's counters
   * @param halfClosedTimeout once this side has read a FIN, how long nothing may be written to it
   *     before the connection is closed (counted in {@code stats}); null for no bound
   */
  public RelayHandler(Channel peer, LongConsumer bytesRead, Duration halfClosedTimeout,
      PortStats stats) {
    this.peer = peer;
    this.bytesRead = bytesRead;
    this.halfClosedTimeout = halfClosedTimeout;
    this.stats = stats;
  }

  /** Starts reading on the backend side as soon as it connects. */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(msg);
      closeOnFlush(ctx.channel());
      return;
    }
    if (msg instanceof ByteBuf buf) {
      bytesRead.accept(buf.readableBytes());
    }
    peer.writeAndFlush(msg).addListener((ChannelFutureListener) written -> {
      if (written.isSuccess()) {
        readMore(ctx.channel());
      } else {
        log.debug("write to {} failed", peer, written.cause());
        written.channel().close();
      }
    });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      forwardEndOfInput(ctx.channel());
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * This side sent its FIN: shut the peer's output after what was relayed so far, and bound how
   * long the direction still open (towards this side) may stay quiet.
   */
  private void forwardEndOfInput(Channel self) {
    if (halfClosedTimeout != null && self.isActive() && self.pipeline().get(HALF_CLOSED) == null) {
      self.pipeline().addFirst(HALF_CLOSED, QuietTimeout.halfClosed(halfClosedTimeout, stats));
    }
    if (peer instanceof DuplexChannel duplexPeer && peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) flushed -> {
        if (flushed.isSuccess()) {
          duplexPeer.shutdownOutput().addListener(shut -> closeIfDone(peer));
        } else {
          peer.close();
        }
      });
    } else {
      closeOnFlush(peer);
    }
    closeIfDone(self);
  }

  /** Asks for the next read, unless the channel's input is over (its FIN has been read). */
  private static void readMore(Channel channel) {
    if (!(channel instanceof DuplexChannel duplex) || !duplex.isInputShutdown()) {
      channel.read();
    }
  }

  /** Closes a channel that will neither send nor receive any more. */
  private static void closeIfDone(Channel channel) {
    if (channel instanceof DuplexChannel duplex
        && duplex.isInputShutdown() && duplex.isOutputShutdown()) {
      channel.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closeOnFlush(peer);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    logError(ctx, cause);
    closeOnFlush(ctx.channel());
  }

  /** Logs an error of a proxied connection that is about to be closed. */
  static void logError(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      // A reset by a client or backend is ordinary traffic, not an error of the proxy.
      log.debug("{}: {}", ctx.channel(), cause.toString());
    } else {
      log.warn("{}: unexpected error, closing", ctx.channel(), cause);
    }
  }

  /** Closes {@code channel} once everything written to it so far has been flushed. */
  static void closeOnFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
