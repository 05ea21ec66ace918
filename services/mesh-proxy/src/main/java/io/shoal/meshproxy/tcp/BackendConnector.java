package io.shoal.meshproxy.tcp;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import io.shoal.meshproxy.ports.PublishedPort;
import io.shoal.meshproxy.routes.Route;

/**
 * Opens the backend side of a client connection. The seam where a later connector can, for
 * example, send a PROXY protocol header before the relay starts.
 */
public interface BackendConnector {
  /**
   * Connects to one of {@code route}'s backends (the route has at least one) for
   * {@code client}, on the client's event loop. The backend channel relays to the client as soon
   * as it is active. The future completes on the client's event loop: with the backend channel,
   * or failed when no backend could be connected to (each failure counted in {@code port}'s
   * stats).
   */
  Future<Channel> connect(Channel client, Route route, PublishedPort port);
}
