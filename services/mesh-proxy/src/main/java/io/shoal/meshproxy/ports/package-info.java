/**
 * Listening sockets: {@link io.shoal.meshproxy.ports.PortListeners} opens one per published port
 * through the {@link io.shoal.meshproxy.ports.Frontend} of its protocol, and closes those no
 * longer published. Each listener's connections share a {@link
 * io.shoal.meshproxy.ports.PublishedPort} (route key, counters, round-robin position).
 */
package io.shoal.meshproxy.ports;
