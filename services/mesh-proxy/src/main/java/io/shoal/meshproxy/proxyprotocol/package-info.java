/**
 * The PROXY protocol header (HAProxy's spec) that the mesh sends to a task so it sees its
 * client's address rather than the proxy's.
 *
 * <pre>{@code
 * ByteBuf header = ProxyProtocolHeader.encode(
 *     ProxyProtocol.PROXY_PROTOCOL_V2, Protocol.PROTOCOL_TCP, client, published, alloc);
 * }</pre>
 */
package io.shoal.meshproxy.proxyprotocol;
