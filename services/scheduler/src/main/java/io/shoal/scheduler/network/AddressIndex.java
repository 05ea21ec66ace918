package io.shoal.scheduler.network;

import io.shoal.api.v1.Endpoint;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.Task;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The address index ({@code addresses/<network id>/<ip>}, value the owner's id) as the scheduler
 * writes it: a claim fails when the address is anyone's, so two leaders' overlapping terms can't
 * hand one address out twice; a release must still find the owner there.
 */
public final class AddressIndex {
  private AddressIndex() {}

  /** A task's index keys, {@code <network id>/<ip>}. */
  public static Set<String> of(Task task) {
    Set<String> keys = new LinkedHashSet<>();
    for (NetworkAttachment a : task.getNetworksList()) {
      a.getAddressesList().forEach(addr -> keys.add(key(a.getNetworkId(), addr)));
    }
    return keys;
  }

  /** A service's virtual IPs' index keys. */
  public static Set<String> of(Endpoint endpoint) {
    Set<String> keys = new LinkedHashSet<>();
    for (EndpointVirtualIp vip : endpoint.getVirtualIpsList()) {
      keys.add(key(vip.getNetworkId(), vip.getAddr()));
    }
    return keys;
  }

  /** Claims for {@code owner} every key of {@code keys} not in {@code except}. */
  public static void claim(Txn txn, String owner, Set<String> keys, Set<String> except) {
    keys.stream().filter(k -> !except.contains(k)).forEach(k -> txn.claim(Tables.ADDRESSES, k, owner));
  }

  /** Releases {@code owner}'s every key of {@code keys} not in {@code except}. */
  public static void release(Txn txn, String owner, Set<String> keys, Set<String> except) {
    keys.stream().filter(k -> !except.contains(k)).forEach(k -> txn.release(Tables.ADDRESSES, k, owner));
  }

  private static String key(String networkId, String cidrAddress) {
    return networkId + "/" + AddressPool.bare(cidrAddress);
  }
}
