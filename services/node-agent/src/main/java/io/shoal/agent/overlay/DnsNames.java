package io.shoal.agent.overlay;

import io.shoal.agent.discovery.DnsServer;
import io.shoal.api.v1.NetworkMap;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/** The overlay's names, served by the agent's {@link DnsServer}. */
public final class DnsNames implements NameService {
  private final DnsServer dns;

  public DnsNames(DnsServer dns) {
    this.dns = dns;
  }

  @Override
  public void update(NetworkMap map) {
    dns.update(map);
  }

  @Override
  public void serveOn(Set<String> addresses) {
    Set<InetAddress> parsed = new HashSet<>();
    for (String address : addresses) {
      try {
        parsed.add(InetAddress.getByAddress(OverlayNames.ipv4Bytes(address)));
      } catch (UnknownHostException e) {
        throw new OverlayException("gateway " + address + " is not an IPv4 address", e);
      }
    }
    dns.bindAddresses(parsed);
  }
}
