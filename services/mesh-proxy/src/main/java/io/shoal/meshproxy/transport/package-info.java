/** Netty transport choice (epoll, else NIO) and the proxy's event loops. */
package io.shoal.meshproxy.transport;
