package io.shoal.agent.discovery;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The name servers a resolv.conf names, as upstreams for {@link DnsServer}. */
public final class ResolvConf {
  private ResolvConf() {}

  /**
   * The {@code nameserver} lines of {@code path}, in order, on port 53. Lines whose address is
   * not an IP literal are skipped (resolv.conf takes no names); an empty list when there is
   * none, which leaves every forwarded query SERVFAIL (glibc would fall back to 127.0.0.1, the
   * agent's flag decides instead).
   */
  public static List<InetSocketAddress> nameservers(Path path) throws IOException {
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String line : Files.readAllLines(path)) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 2 || !fields[0].equals("nameserver")) {
        continue;
      }
      String address = fields[1];
      if (!NetUtil.isValidIpV4Address(address) && !NetUtil.isValidIpV6Address(address)) {
        continue;
      }
      try {
        // A literal: no lookup happens.
        servers.add(new InetSocketAddress(InetAddress.getByName(address), DnsServerConfig.DNS_PORT));
      } catch (UnknownHostException e) {
        // An IPv6 literal with a scope that names no interface here: unusable.
        continue;
      }
    }
    return List.copyOf(servers);
  }
}
