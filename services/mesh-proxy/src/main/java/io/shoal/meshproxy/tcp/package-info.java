/**
 * The TCP data path on Netty: {@link io.shoal.meshproxy.tcp.TcpFrontend} accepts, {@link
 * io.shoal.meshproxy.tcp.TcpConnectHandler} picks and connects a backend through a {@link
 * io.shoal.meshproxy.tcp.BackendConnector}, then a {@link io.shoal.meshproxy.tcp.RelayHandler}
 * on each side copies bytes with read-after-write back-pressure (AUTO_READ off), passes
 * half-closes through, and closes each side after its last flush.
 */
package io.shoal.meshproxy.tcp;
