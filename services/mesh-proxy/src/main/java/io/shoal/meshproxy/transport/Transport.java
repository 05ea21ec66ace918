package io.shoal.meshproxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport of the data path: native epoll on Linux, NIO only where epoll cannot load.
 */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerSocketChannel> serverSocketChannel,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends DatagramChannel> datagramChannel) {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  /** Epoll when the native library loads, else NIO with a log line saying why. */
  public static Transport detect() {
    if (Epoll.isAvailable()) {
      return epoll();
    }
    log.warn("epoll transport unavailable ({}); falling back to NIO",
        String.valueOf(Epoll.unavailabilityCause()));
    return nio();
  }

  public static Transport epoll() {
    Epoll.ensureAvailability();
    return new Transport("epoll", EpollIoHandler.newFactory(),
        EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
  }

  /**
   * Prepares a connected channel of this transport for the relay; call on its event loop once
   * it is registered. On epoll, applies {@link EpollRegistrationWorkaround}.
   */
  public void prepare(Channel channel) {
    if (serverSocketChannel == EpollServerSocketChannel.class) {
      EpollRegistrationWorkaround.apply(channel);
    }
  }

  public static Transport nio() {
    return new Transport("nio", NioIoHandler.newFactory(),
        NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);
  }
}
