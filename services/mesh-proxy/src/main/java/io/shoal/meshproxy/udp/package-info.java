/**
 * The UDP data path: {@link io.shoal.meshproxy.udp.UdpFrontend} binds a datagram channel per
 * published UDP port; its {@link io.shoal.meshproxy.udp.UdpFlows} keeps one {@link
 * io.shoal.meshproxy.udp.UdpFlow} per client address (a connected datagram channel to the
 * backend picked for that client), so every datagram of a flow reaches the same task and the
 * task's replies go back to that client from the published address. With PROXY protocol v2,
 * a {@link io.shoal.meshproxy.udp.ProxyHeaderPrefix} puts the header in front of each datagram
 * to the task. Flows end after an idle timeout, when their backend is unreachable (ICMP port
 * unreachable), or when drained.
 */
package io.shoal.meshproxy.udp;
