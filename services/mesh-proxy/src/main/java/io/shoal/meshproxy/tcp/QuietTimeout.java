package io.shoal.meshproxy.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.shoal.meshproxy.metrics.PortStats;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a proxied channel that has neither read nor written a byte for a while, and counts it.
 * Netty's {@link IdleStateHandler} does the watching: one timer per channel, and a time stamp
 * per read and per write, which is all it adds to the data path. A write still draining to a
 * slow reader counts as traffic ({@code observeOutput}), so a long download is not cut.
 *
 * <p>Two uses: {@link #idle} on every client channel (closing it closes its backend), and
 * {@link #halfClosed}, added by {@link RelayHandler} to the side that has read a FIN, where the
 * only traffic left is what is written to it.
 */
final class QuietTimeout extends IdleStateHandler {
  private static final Logger log = LoggerFactory.getLogger(QuietTimeout.class);

  private final Runnable count;
  private final String what;

  private QuietTimeout(Duration timeout, Runnable count, String what) {
    super(true, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
    this.count = count;
    this.what = what;
  }

  /** For a client connection: no byte either way for {@code timeout}. */
  static QuietTimeout idle(Duration timeout, PortStats stats) {
    return new QuietTimeout(timeout, stats::onIdleClosed, "idle");
  }

  /** For the side of a connection that sent its FIN: nothing written to it for {@code timeout}. */
  static QuietTimeout halfClosed(Duration timeout, PortStats stats) {
    return new QuietTimeout(timeout, stats::onHalfClosedExpired, "half-closed and quiet");
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    count.run();
    log.debug("{}: {} for too long, closing", ctx.channel(), what);
    ctx.close();
  }
}
