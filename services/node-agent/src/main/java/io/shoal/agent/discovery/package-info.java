/**
 * Service discovery on the overlay networks: the DNS server the node agent runs on each
 * network's gateway address, which task containers reach through Docker's {@code --dns}.
 *
 * <ul>
 *   <li>{@link io.shoal.agent.discovery.NameTable}: the names each local task may resolve,
 *       built from the dispatcher's {@code NetworkMap}; pure, swapped whole on each map.
 *   <li>{@link io.shoal.agent.discovery.DnsServer}: Netty UDP and TCP listeners that answer
 *       from it and relay every other query to the upstream servers
 *       ({@link io.shoal.agent.discovery.ResolvConf} reads them from a resolv.conf).
 * </ul>
 *
 * <pre>{@code
 * DnsServer dns = new DnsServer(
 *     DnsServerConfig.forwardingTo(ResolvConf.nameservers(Path.of("/etc/resolv.conf"))), telemetry)
 *     .start();
 * dns.update(networkMap);                  // every NetworkMap the session receives
 * dns.bindAddresses(Set.of(gateway));      // every network's gateway on this host
 * dns.close();
 * }</pre>
 */
package io.shoal.agent.discovery;
