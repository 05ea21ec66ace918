package io.shoal.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Opens the CLI's plaintext channels to control on an event loop of its own, which {@link #close}
 * ends before the process exits.
 *
 * <p>Why not grpc's shared event loop: its threads wait for I/O inside native code and outlive
 * the channel, and a JVM that exits while any thread is in native code waits for it about 300 ms
 * (HotSpot's {@code VM_Exit::wait_for_threads_in_native_to_block}). That was a fifth of every
 * {@code shoal} call.
 */
public final class ControlChannels implements Function<String, ManagedChannel>, AutoCloseable {
  private final EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("shoal-cli-io", true));

  /** A plaintext channel to {@code target}, taking answers up to the CLI's explicit size limit. */
  @Override
  public ManagedChannel apply(String target) {
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .eventLoopGroup(loop)
        .channelType(NioSocketChannel.class)
        .maxInboundMessageSize(ControlClient.MAX_INBOUND_MESSAGE_BYTES)
        .build();
  }

  /** Ends the event loop at once (channels are shut down first, by the CLI). */
  @Override
  public void close() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
