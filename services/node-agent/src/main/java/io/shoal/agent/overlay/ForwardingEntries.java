package io.shoal.agent.overlay;

import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkView;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a host's VXLAN device must know about one network: for each task on another host, its
 * address, its MAC, and the host it lives behind. Programmed, never learned: the device answers
 * ARP from these entries ({@code proxy}) and floods nothing ({@code nolearning}, no default
 * destination), so a host sees only its own networks' traffic.
 */
record ForwardingEntries(Map<String, Entry> byAddress) {

  ForwardingEntries {
    byAddress = Map.copyOf(byAddress);
  }

  static final ForwardingEntries NONE = new ForwardingEntries(Map.of());

  /** One remote task address on the network. */
  record Entry(String address, String mac, String hostAddr) {}

  /** The entries for {@code view} as seen from the host at {@code localAddr}: its own tasks are bridged locally. */
  static ForwardingEntries of(NetworkView view, String localAddr) {
    Map<String, Entry> entries = new TreeMap<>();
    for (NetworkPeer peer : view.getPeersList()) {
      if (peer.getNodeAddr().equals(localAddr) || peer.getNodeAddr().isEmpty()) {
        continue;
      }
      String address = OverlayNames.withoutPrefix(peer.getAddress());
      entries.put(address, new Entry(address, OverlayNames.mac(address), peer.getNodeAddr()));
    }
    return new ForwardingEntries(entries);
  }

  /**
   * The changes that turn {@code before} into this on device {@code device}: stale addresses
   * deleted first (an address may have moved to another task), then every new or moved entry
   * replaced; as {@code ip -batch} (neighbours) and {@code bridge -batch} (forwarding) lines.
   */
  Batches batchesFrom(ForwardingEntries before, String device) {
    StringBuilder neighDel = new StringBuilder();
    StringBuilder fdbDel = new StringBuilder();
    StringBuilder neighAdd = new StringBuilder();
    StringBuilder fdbAdd = new StringBuilder();
    for (Entry old : before.byAddress.values()) {
      Entry now = byAddress.get(old.address());
      if (now == null || !now.equals(old)) {
        neighDel.append("neigh del ").append(old.address()).append(" dev ").append(device).append('\n');
        fdbDel.append("fdb del ").append(old.mac()).append(" dev ").append(device).append(" self\n");
      }
    }
    for (Entry entry : byAddress.values()) {
      if (!entry.equals(before.byAddress.get(entry.address()))) {
        fdbAdd.append("fdb replace ").append(entry.mac()).append(" dev ").append(device)
            .append(" dst ").append(entry.hostAddr()).append(" self permanent\n");
        neighAdd.append("neigh replace ").append(entry.address()).append(" lladdr ").append(entry.mac())
            .append(" dev ").append(device).append(" nud permanent\n");
      }
    }
    return new Batches(neighDel.toString(), fdbDel.toString(), fdbAdd.toString(), neighAdd.toString());
  }

  /**
   * Input for {@code ip -batch -} (neighbours) and {@code bridge -batch -} (forwarding): the
   * deletions, whose targets may be gone already, and the additions, which must all succeed.
   */
  record Batches(String neighbourDeletes, String forwardingDeletes, String forwardingAdds, String neighbourAdds) {
    boolean isEmpty() {
      return (neighbourDeletes + forwardingDeletes + forwardingAdds + neighbourAdds).isEmpty();
    }
  }
}
