package io.shoal.agent.discovery;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Lets a TCP connection carry the UDP pipeline: each length-framed message comes in as a
 * datagram from the client, and each datagram written goes out as a message (the length is
 * put back in front by a {@code LengthFieldPrepender} below this handler). One per connection.
 */
final class StreamAsDatagrams extends ChannelDuplexHandler {
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf frame) {
      ctx.fireChannelRead(new DatagramPacket(frame,
          (InetSocketAddress) ctx.channel().localAddress(),
          (InetSocketAddress) ctx.channel().remoteAddress()));
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof DatagramPacket datagram) {
      ctx.write(datagram.content(), promise);
    } else {
      ctx.write(msg, promise);
    }
  }
}
