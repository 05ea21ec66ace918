package io.shoal.meshproxy.ports;

import io.netty.channel.ChannelFuture;
import io.shoal.api.v1.Protocol;
import java.net.InetSocketAddress;

/**
 * Listens for one protocol. {@link PortListeners} asks the frontend of a route's protocol to
 * open each published port: {@code TcpFrontend} and {@code UdpFrontend} (a datagram channel
 * with a flow per client).
 */
public interface Frontend {
  /** The protocol whose ports this frontend serves. */
  Protocol protocol();

  /**
   * Starts listening on {@code address}. Traffic arriving there is routed with
   * {@code port}'s key and counted in its stats. The returned future fails when the address
   * cannot be bound; once it succeeds, closing its channel stops listening (connections already
   * accepted carry on).
   */
  ChannelFuture bind(InetSocketAddress address, PublishedPort port);
}
