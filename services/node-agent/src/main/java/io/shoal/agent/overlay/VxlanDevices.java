package io.shoal.agent.overlay;

import java.util.List;

/**
 * The VXLAN devices of the host's networks (iproute2): one per network, enslaved to the engine's
 * bridge of that network, tunnelling to the other hosts on UDP {@value #PORT} (IANA's VXLAN port).
 */
class VxlanDevices {
  static final int PORT = 4789;

  private final HostCommands commands;

  VxlanDevices(HostCommands commands) {
    this.commands = commands;
  }

  /**
   * Makes device {@code name} afresh: removed if it exists (what an earlier agent programmed is
   * not known), then created with no forwarding entries, enslaved to {@code bridge} and up.
   */
  void create(String name, int vxlanId, String localAddr, String bridge, int mtu) {
    delete(name);
    commands.run(List.of("ip", "link", "add", name, "type", "vxlan", "id", Integer.toString(vxlanId),
        "local", localAddr, "dstport", Integer.toString(PORT), "nolearning", "proxy"));
    commands.run(List.of("ip", "link", "set", name, "mtu", Integer.toString(mtu), "master", bridge, "up"));
  }

  /** The names of this host's VXLAN devices that the overlay made. */
  List<String> list() {
    List<String> names = new java.util.ArrayList<>();
    for (String line : commands.run(List.of("ip", "-o", "link", "show", "type", "vxlan")).split("\n")) {
      // "12: shv1001: <BROADCAST,...> mtu 1450 ..." (a device in a bridge: "shv1001@NONE")
      String[] fields = line.split(":\\s+", 3);
      if (fields.length >= 2) {
        String name = fields[1].split("@")[0];
        if (name.startsWith(OverlayNames.VXLAN_PREFIX)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** Removes the device; a missing one is fine. */
  void delete(String name) {
    HostCommands.Result result = commands.attempt(List.of("ip", "link", "del", name), null);
    if (result.exitCode() != 0 && !result.stderr().contains("Cannot find device")) {
      throw new OverlayException("ip link del " + name + " failed: " + result.stderr().strip());
    }
  }

  /** Applies the entry changes: deletions of entries already gone are fine, additions must succeed. */
  void apply(ForwardingEntries.Batches batches) {
    if (!batches.neighbourDeletes().isEmpty()) {
      commands.attempt(List.of("ip", "-force", "-batch", "-"), batches.neighbourDeletes());
    }
    if (!batches.forwardingDeletes().isEmpty()) {
      commands.attempt(List.of("bridge", "-force", "-batch", "-"), batches.forwardingDeletes());
    }
    if (!batches.forwardingAdds().isEmpty()) {
      commands.run(List.of("bridge", "-batch", "-"), batches.forwardingAdds());
    }
    if (!batches.neighbourAdds().isEmpty()) {
      commands.run(List.of("ip", "-batch", "-"), batches.neighbourAdds());
    }
  }
}
