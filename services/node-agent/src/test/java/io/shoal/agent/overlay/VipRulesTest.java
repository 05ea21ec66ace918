package io.shoal.agent.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.NetworkAttachment;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.ServiceEndpoint;
import io.shoal.api.v1.Task;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VipRulesTest {

  @Test
  void eachBackendGetsAnEqualShareAndTheLastTakesTheRest() {
    NetworkView view = view("n1", service("api", "10.0.1.2/24", EndpointMode.ENDPOINT_MODE_VIP,
        "10.0.1.3", "10.0.1.4", "10.0.1.5"));

    String rules = VipRules.forTask(task("n1"), Map.of("n1", view));

    assertThat(rules).contains(
        "-A SHOAL-VIP -d 10.0.1.2/32 -m statistic --mode random --probability 0.3333333333 -j DNAT --to-destination 10.0.1.3\n"
            + "-A SHOAL-VIP -d 10.0.1.2/32 -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.0.1.4\n"
            + "-A SHOAL-VIP -d 10.0.1.2/32 -j DNAT --to-destination 10.0.1.5\n");
    assertThat(rules).startsWith("*nat\n:SHOAL-VIP - [0:0]\n").endsWith("COMMIT\n").contains("*filter\n");
  }

  @Test
  void aVipWithNoServingTaskIsRefusedNotLeftToTimeOut() {
    NetworkView view = view("n1", service("api", "10.0.1.2", EndpointMode.ENDPOINT_MODE_VIP));

    String rules = VipRules.forTask(task("n1"), Map.of("n1", view));

    assertThat(rules).doesNotContain("DNAT")
        .contains("-A SHOAL-VIP -d 10.0.1.2/32 -p tcp -j REJECT --reject-with tcp-reset\n");
  }

  @Test
  void dnsrrServicesAndOtherNetworksGetNoRules() {
    NetworkView mine = view("n1", service("db", "", EndpointMode.ENDPOINT_MODE_DNSRR, "10.0.1.7"));
    NetworkView other = view("n2", service("web", "10.0.2.2", EndpointMode.ENDPOINT_MODE_VIP, "10.0.2.3"));

    String rules = VipRules.forTask(task("n1"), Map.of("n1", mine, "n2", other));

    assertThat(rules).isEqualTo("*nat\n:SHOAL-VIP - [0:0]\nCOMMIT\n*filter\n:SHOAL-VIP - [0:0]\nCOMMIT\n");
  }

  private static Task task(String network) {
    return Task.newBuilder().setId("t").addNetworks(NetworkAttachment.newBuilder().setNetworkId(network)
        .addAddresses("10.0.1.9/24")).build();
  }

  private static NetworkView view(String id, ServiceEndpoint... services) {
    return NetworkView.newBuilder().setNetworkId(id).addAllServices(java.util.List.of(services)).build();
  }

  private static ServiceEndpoint service(String name, String vip, EndpointMode mode, String... tasks) {
    return ServiceEndpoint.newBuilder().setName(name).setVirtualIp(vip).setMode(mode)
        .addAllTaskAddresses(java.util.List.of(tasks)).build();
  }
}
