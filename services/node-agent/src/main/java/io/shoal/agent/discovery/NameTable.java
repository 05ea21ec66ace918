package io.shoal.agent.discovery;

import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.util.NetUtil;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.ServiceEndpoint;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The cluster names each task on this node may resolve, built once from a {@link NetworkMap}
 * and then only read (immutable, so the DNS server reads it per query without a lock).
 *
 * <p>A query is answered for the task that asked: the peer whose address is the query's source
 * address, on the network whose subnet holds it. That task may resolve the names of the
 * services on every network it is on (its peers with the same task id), and only those:
 * <ul>
 *   <li>{@code NAME} or an alias: the service's virtual IP on each network the asker shares
 *       with it, in the map's network order; in dnsrr mode its task addresses instead;
 *   <li>{@code tasks.NAME}, {@code tasks.ALIAS}: the task addresses whatever the mode;
 *   <li>names are case-insensitive and may end with a dot; a plain name wins over a
 *       {@code tasks.} name should a service be called {@code tasks.x}.
 * </ul>
 * A cluster name is never forwarded: asked for another type than A (AAAA above all), or while
 * it has no address (no serving task yet, VIP not allocated yet), it has no answer (NOERROR,
 * no record). Anything else, including every name asked by an address the map does not know
 * and the name of a service on a network the asker is not on, goes to the upstream servers.
 */
public final class NameTable {
  /** Knows no task: every name is forwarded. */
  public static final NameTable EMPTY = new NameTable(Map.of(), Map.of());

  private static final String TASKS_PREFIX = "tasks.";

  /** What a query gets. */
  public sealed interface Answer permits Forward, Addresses {}

  /** Not a cluster name for the asker: ask the upstream servers. */
  public enum Forward implements Answer { FORWARD }

  /**
   * A cluster name and its addresses of the asked type, possibly none. {@code spread}: task
   * addresses, which the server rotates between answers so clients that take the first one
   * spread over the tasks.
   */
  public record Addresses(List<Inet4Address> addresses, boolean spread) implements Answer {
    public Addresses {
      addresses = List.copyOf(addresses);
    }
  }

  private static final Addresses NO_ADDRESS = new Addresses(List.of(), false);

  /** One service's names on one network. */
  private record Endpoint(Inet4Address virtualIp, List<Inet4Address> taskAddresses, boolean dnsrr) {}

  /** Keyed by the IPv4 address as an int: who may ask. */
  private final Map<Integer, String> taskByAddress;
  /** For each task, its networks' names (lower case, no trailing dot), in map order. */
  private final Map<String, List<Map<String, List<Endpoint>>>> namesByTask;

  private NameTable(Map<Integer, String> taskByAddress,
      Map<String, List<Map<String, List<Endpoint>>>> namesByTask) {
    this.taskByAddress = taskByAddress;
    this.namesByTask = namesByTask;
  }

  /**
   * The table of {@code map}. Addresses that do not parse as IPv4 are left out, as are peers
   * outside their network's subnet (no query can come from them on that network).
   */
  public static NameTable of(NetworkMap map) {
    Map<Integer, String> taskByAddress = new HashMap<>();
    Map<String, List<Map<String, List<Endpoint>>>> namesByTask = new HashMap<>();
    for (NetworkView network : map.getNetworksList()) {
      Subnet subnet = Subnet.parse(network.getSubnet());
      if (subnet == null) {
        continue;
      }
      Map<String, List<Endpoint>> names = names(network);
      for (NetworkPeer peer : network.getPeersList()) {
        Inet4Address address = ipv4(peer.getAddress());
        if (address == null || peer.getTaskId().isEmpty() || !subnet.contains(address)) {
          continue;
        }
        // Subnets of one map do not overlap; should they, the first network keeps the address.
        taskByAddress.putIfAbsent(toInt(address), peer.getTaskId());
        List<Map<String, List<Endpoint>>> networks =
            namesByTask.computeIfAbsent(peer.getTaskId(), t -> new ArrayList<>());
        // Networks come one after the other, so a repeated peer can only repeat the last one.
        if (networks.isEmpty() || networks.get(networks.size() - 1) != names) {
          networks.add(names);
        }
      }
    }
    return new NameTable(Map.copyOf(taskByAddress), Map.copyOf(namesByTask));
  }

  private static Map<String, List<Endpoint>> names(NetworkView network) {
    Map<String, List<Endpoint>> names = new HashMap<>();
    for (ServiceEndpoint service : network.getServicesList()) {
      List<Inet4Address> tasks = new ArrayList<>();
      for (String a : service.getTaskAddressesList()) {
        Inet4Address address = ipv4(a);
        if (address != null) {
          tasks.add(address);
        }
      }
      Endpoint endpoint = new Endpoint(ipv4(service.getVirtualIp()), List.copyOf(tasks),
          service.getMode() == EndpointMode.ENDPOINT_MODE_DNSRR);
      Set<String> serviceNames = new LinkedHashSet<>();
      serviceNames.add(normalize(service.getName()));
      for (String alias : service.getAliasesList()) {
        serviceNames.add(normalize(alias));
      }
      for (String name : serviceNames) {
        if (!name.isEmpty()) {
          names.computeIfAbsent(name, n -> new ArrayList<>(1)).add(endpoint);
        }
      }
    }
    return names;
  }

  /**
   * The answer to a query for {@code name} (as asked, any case, with or without the trailing
   * dot) of {@code type} from {@code client}, the query's source address.
   */
  public Answer resolve(InetAddress client, String name, DnsRecordType type) {
    if (!(client instanceof Inet4Address)) {
      return Forward.FORWARD;
    }
    String task = taskByAddress.get(toInt((Inet4Address) client));
    if (task == null) {
      return Forward.FORWARD;
    }
    List<Map<String, List<Endpoint>>> networks = namesByTask.get(task);
    String key = normalize(name);
    Answer answer = lookup(networks, key, false, type);
    if (answer == null && key.startsWith(TASKS_PREFIX)) {
      answer = lookup(networks, key.substring(TASKS_PREFIX.length()), true, type);
    }
    return answer == null ? Forward.FORWARD : answer;
  }

  /** Null when {@code key} names no service on these networks. */
  private static Answer lookup(List<Map<String, List<Endpoint>>> networks, String key,
      boolean tasksForm, DnsRecordType type) {
    Set<Inet4Address> addresses = new LinkedHashSet<>();
    boolean found = false;
    boolean spread = false;
    for (Map<String, List<Endpoint>> names : networks) {
      List<Endpoint> endpoints = names.get(key);
      if (endpoints == null) {
        continue;
      }
      found = true;
      for (Endpoint endpoint : endpoints) {
        if (tasksForm || endpoint.dnsrr()) {
          addresses.addAll(endpoint.taskAddresses());
          spread = true;
        } else if (endpoint.virtualIp() != null) {
          addresses.add(endpoint.virtualIp());
        }
      }
    }
    if (!found) {
      return null;
    }
    if (!DnsRecordType.A.equals(type)) {
      return NO_ADDRESS;
    }
    return new Addresses(new ArrayList<>(addresses), spread);
  }

  /** Lower case (ASCII rules, as DNS), without one trailing dot. */
  static String normalize(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return n.toLowerCase(Locale.ROOT);
  }

  /** An IPv4 literal, or null; never a lookup. */
  static Inet4Address ipv4(String literal) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null || bytes.length != 4) {
      return null;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  private static int toInt(Inet4Address address) {
    byte[] b = address.getAddress();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  /** An IPv4 CIDR block. */
  private record Subnet(int base, int mask) {
    static Subnet parse(String cidr) {
      int slash = cidr.indexOf('/');
      if (slash < 0) {
        return null;
      }
      Inet4Address address = ipv4(cidr.substring(0, slash));
      int prefix;
      try {
        prefix = Integer.parseInt(cidr.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (address == null || prefix < 0 || prefix > 32) {
        return null;
      }
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      return new Subnet(toInt(address) & mask, mask);
    }

    boolean contains(Inet4Address address) {
      return (toInt(address) & mask) == base;
    }
  }
}
