package io.shoal.agent.overlay;

import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.ServiceEndpoint;
import io.shoal.api.v1.Task;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The virtual IPs one task reaches, as {@code iptables-restore} input for its container's own
 * network namespace (as Docker puts its IPVS rules in each container's sandbox; this kernel has
 * no IPVS). Each new connection or flow to a VIP is DNATed to one of the service's serving tasks,
 * chosen at random with equal odds; replies are translated back by the same namespace's
 * conntrack, so any task on any host can answer. A VIP with no serving task is refused at once
 * (TCP reset, ICMP unreachable otherwise) rather than left to time out.
 *
 * <p>Pure: the agent applies the text with {@code --noflush}, which replaces only the two
 * {@value #CHAIN} chains it declares.
 */
final class VipRules {
  static final String CHAIN = "SHOAL-VIP";

  private VipRules() {}

  /** The rules for {@code task}, reaching the VIP services on each of its networks in {@code views}. */
  static String forTask(Task task, Map<String, NetworkView> views) {
    StringBuilder nat = new StringBuilder("*nat\n:" + CHAIN + " - [0:0]\n");
    StringBuilder filter = new StringBuilder("*filter\n:" + CHAIN + " - [0:0]\n");
    for (NetworkAttachment attachment : task.getNetworksList()) {
      NetworkView view = views.get(attachment.getNetworkId());
      if (view == null) {
        continue;
      }
      for (ServiceEndpoint service : view.getServicesList()) {
        if (service.getMode() == EndpointMode.ENDPOINT_MODE_DNSRR || service.getVirtualIp().isEmpty()) {
          continue;
        }
        String vip = OverlayNames.withoutPrefix(service.getVirtualIp()) + "/32";
        balance(nat, vip, service.getTaskAddressesList());
        // Reached only by packets no DNAT rule took: the VIP has no serving task.
        filter.append("-A ").append(CHAIN).append(" -d ").append(vip)
            .append(" -p tcp -j REJECT --reject-with tcp-reset\n");
        filter.append("-A ").append(CHAIN).append(" -d ").append(vip)
            .append(" -j REJECT --reject-with icmp-port-unreachable\n");
      }
    }
    return nat.append("COMMIT\n").append(filter).append("COMMIT\n").toString();
  }

  /** Rule i of n takes 1/(n-i) of what reaches it, so each backend gets 1/n. */
  private static void balance(StringBuilder nat, String vip, List<String> backends) {
    int n = backends.size();
    for (int i = 0; i < n; i++) {
      nat.append("-A ").append(CHAIN).append(" -d ").append(vip);
      if (i < n - 1) {
        nat.append(" -m statistic --mode random --probability ")
            .append(String.format(Locale.ROOT, "%.10f", 1.0 / (n - i)));
      }
      nat.append(" -j DNAT --to-destination ").append(OverlayNames.withoutPrefix(backends.get(i))).append('\n');
    }
  }
}
