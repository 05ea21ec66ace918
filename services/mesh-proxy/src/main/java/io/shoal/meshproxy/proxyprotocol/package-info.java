/**
 * The PROXY protocol header (HAProxy's spec) that the mesh sends to a task so it sees its
 * client's address rather than the proxy's: once at the start of a TCP connection, in front of
 * every datagram of a UDP flow (v2 only: v1 has no UDP form).
 *
 * <pre>{@code
 * ByteBuf header = ProxyProtocolHeader.encode(
 *     ProxyProtocol.PROXY_PROTOCOL_V2, Protocol.PROTOCOL_TCP, client, published, alloc);
 * }</pre>
 */
package io.shoal.meshproxy.proxyprotocol;
