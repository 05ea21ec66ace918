package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.Service;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code service create --network}, {@code service update --network-add/--network-rm}, and inspect showing them. */
class ServiceNetworkFlagsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  private Network mine;
  private Network other;

  @BeforeEach
  void networks() {
    mine = cli.control().addNetwork(NetworkSpec.newBuilder().setName("my-network").build());
    other = cli.control().addNetwork(NetworkSpec.newBuilder().setName("other").build());
  }

  private static NetworkAttachmentConfig on(Network n, String... aliases) {
    return NetworkAttachmentConfig.newBuilder().setTarget(n.getId()).addAllAliases(java.util.List.of(aliases)).build();
  }

  @Test
  void createSendsEachNetworkInBothForms() {
    Result r = cli.run("service", "create", "-d", "--replicas", "3", "--network", "my-network",
        "--network", "name=other,alias=web,alias=www", "--name", "my-web", "nginx");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(cli.control().creates().get(0).getSpec().getNetworksList()).containsExactly(
        NetworkAttachmentConfig.newBuilder().setTarget("my-network").build(),
        NetworkAttachmentConfig.newBuilder().setTarget("other").addAliases("web").addAliases("www").build());
    assertThat(cli.control().service("my-web").getSpec().getNetworksList()).containsExactly(on(mine), on(other, "web", "www"));
  }

  @Test
  void anUnknownNetworkIsControlsNotFound() {
    Result r = cli.run("service", "create", "-d", "--network", "nowhere", "--name", "web", "nginx");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: network nowhere not found (NOT_FOUND)");
  }

  @Test
  void aBadLongFormIsAUsageError() {
    Result r = cli.run("service", "create", "--network", "name=n,ip=10.0.0.9", "nginx");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines().get(0)).isEqualTo("shoal: Invalid value for option '--network': bad network"
        + " \"name=n,ip=10.0.0.9\": unknown key \"ip\" (Shoal takes name and alias)");
  }

  @Test
  void updateAddsAndRemovesNetworksByNameAsTheSeedDoes() {
    Service web = cli.control().addService(Fixtures.replicated("my-web", "nginx", 3).toBuilder().addNetworks(on(mine)).build());
    cli.control().addService(Fixtures.replicated("other-svc", "nginx", 1));

    Result add = cli.run("service", "update", "-d", "--network-add", "my-network", "other-svc");
    Result rm = cli.run("service", "update", "-d", "--network-rm", "my-network", "my-web");

    assertThat(add.err()).isEmpty();
    assertThat(rm.err()).isEmpty();
    assertThat(cli.control().service("other-svc").getSpec().getNetworksList()).containsExactly(on(mine));
    assertThat(cli.control().service(web.getId()).getSpec().getNetworksList()).isEmpty();
  }

  @Test
  void updateRemovesBeforeItAddsAndKeepsTheOthers() {
    cli.control().addService(Fixtures.replicated("web", "nginx", 1).toBuilder().addNetworks(on(mine, "a")).build());

    Result r = cli.run("service", "update", "-d", "--network-rm", mine.getId(), "--network-add", "name=my-network,alias=b",
        "--network-add", other.getId().substring(0, 6), "web");

    assertThat(r.err()).isEmpty();
    assertThat(cli.control().service("web").getSpec().getNetworksList()).containsExactly(on(mine, "b"), on(other));
  }

  @Test
  void addingANetworkTheServiceIsOnIsAnError() {
    cli.control().addService(Fixtures.replicated("web", "nginx", 1).toBuilder().addNetworks(on(mine)).build());

    Result r = cli.run("service", "update", "-d", "--network-add", "my-network", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: service web is already attached to network my-network");
    assertThat(cli.control().updates()).isEmpty();
  }

  @Test
  void removingANetworkTheServiceIsNotOnWarnsAndAnUnknownOneFails() {
    cli.control().addService(Fixtures.replicated("web", "nginx", 1).toBuilder().addNetworks(on(mine)).build());

    Result notOn = cli.run("service", "update", "-d", "--network-rm", "other", "web");
    Result unknown = cli.run("service", "update", "-d", "--network-rm", "nowhere", "web");

    assertThat(notOn.exitCode()).isZero();
    assertThat(notOn.errLines()).containsExactly("shoal: warning: --network-rm other: the service is not on that network");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.errLines()).containsExactly("shoal: network nowhere not found (NOT_FOUND)");
  }

  @Test
  void inspectShowsTheIdsInJsonAndTheNamesWhenPretty() {
    cli.control().addService(Fixtures.replicated("web", "nginx", 1).toBuilder()
        .addNetworks(on(mine)).addNetworks(on(other, "www")).build());

    assertThat(cli.run("service", "inspect", "web").out())
        .contains("\"target\": \"" + mine.getId() + "\"").contains("\"aliases\": [\"www\"]");
    assertThat(cli.run("service", "inspect", "--pretty", "web").outLines()).contains("Networks: my-network other");
  }
}
