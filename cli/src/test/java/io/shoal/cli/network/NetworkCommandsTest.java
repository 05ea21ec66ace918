package io.shoal.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import io.shoal.cli.testing.TableOutput;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code shoal network create|ls|inspect|rm}, in Docker's words and formats. */
class NetworkCommandsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  private Network add(String name) {
    return cli.control().addNetwork(NetworkSpec.newBuilder().setName(name).build());
  }

  @Test
  void createSendsTheFlagsAndPrintsTheId() {
    Result r = cli.run("network", "create", "--driver", "overlay", "--subnet", "10.0.9.0/24", "--gateway", "10.0.9.254",
        "--ip-range", "10.0.9.128/25", "--internal", "--label", "team=a", "--label", "tier", "my-network");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    Network created = cli.control().networks().get(0);
    assertThat(r.outLines()).containsExactly(created.getId());
    assertThat(cli.control().networkCreates().get(0).getSpec()).isEqualTo(NetworkSpec.newBuilder()
        .setName("my-network").setDriver("overlay").setInternal(true)
        .putLabels("team", "a").putLabels("tier", "")
        .setIpam(IpamConfig.newBuilder().setSubnet("10.0.9.0/24").setGateway("10.0.9.254").setIpRange("10.0.9.128/25"))
        .build());
  }

  @Test
  void theSeedsCreateNeedsNoMoreThanTheDriverAndName() {
    Result r = cli.run("network", "create", "--driver", "overlay", "my-network");

    assertThat(r.exitCode()).isZero();
    NetworkSpec sent = cli.control().networkCreates().get(0).getSpec();
    assertThat(sent.getName()).isEqualTo("my-network");
    assertThat(sent.getDriver()).isEqualTo("overlay");
    assertThat(sent.hasIpam() && !sent.getIpam().equals(IpamConfig.getDefaultInstance())).isFalse();
  }

  @Test
  void controlsRefusalIsOneLine() {
    add("taken");
    cli.control().failNext("CreateNetwork", Status.INVALID_ARGUMENT.withDescription(
        "NetworkSpec.ipam.subnet: 10.0.0.0/16 overlaps 10.0.0.0/24 of network taken"));

    Result r = cli.run("network", "create", "--subnet", "10.0.0.0/16", "wide");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly(
        "shoal: NetworkSpec.ipam.subnet: 10.0.0.0/16 overlaps 10.0.0.0/24 of network taken (INVALID_ARGUMENT)");
    assertThat(cli.run("network", "create", "taken").errLines())
        .containsExactly("shoal: network taken already exists (ALREADY_EXISTS)");
    assertThat(cli.run("network", "create", "-d", "bridge", "b").errLines()).containsExactly(
        "shoal: NetworkSpec.driver: driver \"bridge\" is not supported; Shoal's networks span the cluster,"
            + " so the driver is overlay (INVALID_ARGUMENT)");
  }

  @Test
  void attachableIsSentAndControlsRefusalSaysToRunAService() {
    Result r = cli.run("network", "create", "--attachable", "my-network");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(cli.control().networkCreates().get(0).getSpec().getAttachable()).isTrue();
    assertThat(r.errLines()).containsExactly("shoal: NetworkSpec.attachable: plain containers (docker run --network)"
        + " cannot join Shoal networks, only service tasks can; run the workload as a service instead"
        + " (shoal service create --network NAME) (INVALID_ARGUMENT)");
    assertThat(cli.control().networks()).isEmpty();
  }

  @Test
  void theHelpOfAttachableSaysItIsNotSupported() {
    assertThat(String.join(" ", cli.run("network", "create", "--help").outLines()).replaceAll("\\s+", " "))
        .contains("--attachable Not supported: plain containers (docker run --network) cannot join Shoal networks;"
            + " run the workload as a service (service create --network) instead");
  }

  @Test
  void createNeedsAName() {
    Result r = cli.run("network", "create");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines().get(0)).isEqualTo("shoal: Missing required parameter: 'NETWORK'");
  }

  @Test
  void lsListsEveryPageSortedByNameWithTheSwarmScope() {
    Network web = add("web");
    Network api = add("api");
    Network db = add("db");

    Result r = cli.run("network", "ls");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines().get(0)).isEqualTo("NETWORK ID     NAME      DRIVER    SCOPE");
    assertThat(TableOutput.rows(r.outLines(), "NETWORK ID", "NAME", "DRIVER", "SCOPE")).containsExactly(
        List.of(api.getId().substring(0, 12), "api", "overlay", "swarm"),
        List.of(db.getId().substring(0, 12), "db", "overlay", "swarm"),
        List.of(web.getId().substring(0, 12), "web", "overlay", "swarm"));
    assertThat(cli.run("network", "ls", "-q", "--no-trunc").outLines())
        .containsExactly(api.getId(), db.getId(), web.getId());
  }

  @Test
  void inspectPrintsJsonOrAPrettySummary() {
    Network n = cli.control().addNetwork(NetworkSpec.newBuilder().setName("my-network").putLabels("team", "a")
        .setIpam(IpamConfig.newBuilder().setSubnet("10.0.9.0/24").setIpRange("10.0.9.128/25")).build());

    Result json = cli.run("network", "inspect", "my-network");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).startsWith("[").contains("\"id\": \"" + n.getId() + "\"")
        .contains("\"subnet\": \"10.0.9.0/24\"").contains("\"gateway\": \"10.0.9.1\"").contains("\"vxlanId\": 4096");

    Result pretty = cli.run("network", "inspect", "--pretty", n.getId().substring(0, 5));
    assertThat(pretty.outLines()).containsExactly(
        "ID:                 " + n.getId(),
        "Name:               my-network",
        "Labels:",
        " - team=a",
        "Driver:             overlay",
        "Scope:              swarm",
        "Attachable:         false",
        "Internal:           false",
        "VXLAN ID:           4096",
        "IPAM:",
        " Subnet:            10.0.9.0/24",
        " Gateway:           10.0.9.1",
        " IP Range:          10.0.9.128/25");
  }

  @Test
  void inspectReportsWhatItCannotFindAndPrintsTheRest() {
    add("there");

    Result r = cli.run("network", "inspect", "nope", "there");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: network nope not found (NOT_FOUND)");
    assertThat(r.out()).contains("\"name\": \"there\"");
  }

  @Test
  void rmRemovesEachAndRefusesANetworkInUseNamingTheServices() {
    Network used = add("used");
    add("free");
    cli.control().addService(Fixtures.replicated("web", "nginx", 1).toBuilder()
        .addNetworks(NetworkAttachmentConfig.newBuilder().setTarget(used.getId())).build());

    Result r = cli.run("network", "rm", "used", "free", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.outLines()).containsExactly("free");
    assertThat(r.errLines()).containsExactly(
        "shoal: network used is in use by service web; take it off them first"
            + " (service update --network-rm used SERVICE) or remove them (FAILED_PRECONDITION)",
        "shoal: network nope not found (NOT_FOUND)");
    assertThat(cli.control().networks()).extracting(n -> n.getSpec().getName()).containsExactly("used");
  }
}
