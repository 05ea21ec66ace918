package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.cli.client.ServiceUpdater;
import io.shoal.cli.parse.PortSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceUpdateCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  static final String PINNED = "nginx:1.27@" + Fixtures.DIGEST;
  Service web;

  @BeforeEach
  void seed() {
    ServiceSpec.Builder spec = Fixtures.replicated("web", PINNED, 2).toBuilder();
    spec.getContainerBuilder().addAllEnv(List.of("A=1", "B=2")).addAllArgs(List.of("nginx", "-g"));
    spec.setEndpoint(
        EndpointSpec.newBuilder()
            .addPorts(PortSpec.parse("8080:80"))
            .addPorts(PortSpec.parse("53:53/udp")));
    web = cli.control().addService(spec.build());
  }

  @Test
  void sendsTheEditedSpecWithTheVersionRead() {
    Result r =
        cli.run(
            "service",
            "update",
            "--env-add",
            "B=3",
            "--env-add",
            "C=4",
            "--env-rm",
            "A",
            "--publish-rm",
            "8080",
            "--publish-add",
            "9090:90",
            "-d",
            "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("web");
    UpdateServiceRequest sent = cli.control().updates().get(0);
    assertThat(sent.getServiceId()).isEqualTo(web.getId());
    assertThat(sent.getVersion()).isEqualTo(web.getVersion());
    assertThat(sent.getNoResolveImage()).isFalse();
    ServiceSpec.Builder expected = web.getSpec().toBuilder();
    expected.getContainerBuilder().clearEnv().addAllEnv(List.of("B=3", "C=4"));
    expected
        .getEndpointBuilder()
        .clearPorts()
        .addPorts(PortSpec.parse("53:53/udp"))
        .addPorts(PortSpec.parse("9090:90"));
    assertThat(sent.getSpec()).isEqualTo(expected.build());
  }

  @Test
  void endpointLoadBalancingChangesOnlyWhenGiven() {
    cli.run("service", "update", "--endpoint-lb", "least-conn", "-d", "web");
    cli.run("service", "update", "--env-add", "X=1", "-d", "web");

    assertThat(cli.control().updates().get(0).getSpec().getEndpoint().getLoadBalancing())
        .isEqualTo(LoadBalancing.LOAD_BALANCING_LEAST_CONN);
    assertThat(cli.control().updates().get(1).getSpec().getEndpoint().getLoadBalancing())
        .isEqualTo(LoadBalancing.LOAD_BALANCING_LEAST_CONN);
    assertThat(cli.control().updates().get(1).getSpec().getEndpoint().getPortsCount()).isEqualTo(2);
  }

  @Test
  void endpointModeChangesOnlyWhenGiven() {
    cli.run("service", "update", "--endpoint-mode", "dnsrr", "-d", "web");
    cli.run("service", "update", "--env-add", "X=1", "-d", "web");
    cli.run("service", "update", "--endpoint-mode", "vip", "-d", "web");

    assertThat(cli.control().updates()).extracting(u -> u.getSpec().getEndpoint().getMode()).containsExactly(
        EndpointMode.ENDPOINT_MODE_DNSRR, EndpointMode.ENDPOINT_MODE_DNSRR, EndpointMode.ENDPOINT_MODE_VIP);
    assertThat(cli.control().updates().get(0).getSpec().getEndpoint().getPortsCount()).isEqualTo(2);
  }

  @Test
  void changesTheContainerFields() {
    Result r =
        cli.run(
            "service",
            "update",
            "--image",
            "nginx:1.28",
            "--args",
            "nginx -g 'daemon off;'",
            "-w",
            "/srv",
            "-u",
            "nobody",
            "--init",
            "--stop-grace-period",
            "30s",
            "--replicas",
            "5",
            "--force",
            "--no-resolve-image",
            "-d",
            web.getId().substring(0, 8));

    assertThat(r.exitCode()).isZero();
    UpdateServiceRequest sent = cli.control().updates().get(0);
    assertThat(sent.getNoResolveImage()).isTrue();
    ServiceSpec spec = sent.getSpec();
    assertThat(spec.getContainer().getImage()).isEqualTo("nginx:1.28");
    assertThat(spec.getContainer().getArgsList()).containsExactly("nginx", "-g", "daemon off;");
    assertThat(spec.getContainer().getWorkdir()).isEqualTo("/srv");
    assertThat(spec.getContainer().getUser()).isEqualTo("nobody");
    assertThat(spec.getContainer().getInit()).isTrue();
    assertThat(spec.getContainer().getStopGracePeriod())
        .isEqualTo(Duration.newBuilder().setSeconds(30).build());
    assertThat(spec.getReplicated().getReplicas()).isEqualTo(5);
    assertThat(spec.getForceUpdate()).isEqualTo(1);
    assertThat(spec.getContainer().getEnvList()).containsExactly("A=1", "B=2");
  }

  @Test
  void keepsThePinnedImageWhenNotChangingIt() {
    cli.run("service", "update", "--env-add", "X=1", "-d", "web");
    assertThat(cli.control().updates().get(0).getSpec().getContainer().getImage())
        .isEqualTo(PINNED);
  }

  @Test
  void emptyArgsClearTheCommand() {
    cli.run("service", "update", "--args", "", "-d", "web");
    assertThat(cli.control().updates().get(0).getSpec().getContainer().getArgsList()).isEmpty();
  }

  @Test
  void retriesALostRaceOnAFreshReadKeepingTheOtherWrite() {
    cli.control()
        .abortUpdates(
            2,
            spec -> {
              ServiceSpec.Builder b = spec.toBuilder();
              b.getContainerBuilder().addEnv("OTHER" + b.getContainer().getEnvCount() + "=x");
              return b.build();
            });

    Result r = cli.run("service", "update", "--env-add", "B=3", "--force", "-d", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    List<UpdateServiceRequest> sent = cli.control().updates();
    assertThat(sent).hasSize(3);
    assertThat(sent).extracting(UpdateServiceRequest::getVersion).doesNotHaveDuplicates();
    Service stored = cli.control().service("web");
    assertThat(stored.getSpec().getContainer().getEnvList())
        .containsExactly("A=1", "B=3", "OTHER2=x", "OTHER3=x");
    // The change was applied to each fresh read, not accumulated: one force bump.
    assertThat(stored.getSpec().getForceUpdate()).isEqualTo(1);
  }

  @Test
  void givesUpAfterBoundedRetries() {
    cli.control().abortUpdates(ServiceUpdater.MAX_ATTEMPTS, spec -> spec);
    Result r = cli.run("service", "update", "--env-add", "B=3", "-d", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(cli.control().updates()).hasSize(ServiceUpdater.MAX_ATTEMPTS);
    assertThat(r.errLines())
        .containsExactly(
            "shoal: service web kept changing while updating it (5 attempts); try again (ABORTED)");
  }

  @Test
  void replicasOfAGlobalServiceIsAnError() {
    cli.control().addService(Fixtures.global("agent", "agent:1"));
    Result r = cli.run("service", "update", "--replicas", "3", "agent");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines())
        .containsExactly(
            "shoal: --replicas can only be used with replicated mode (service agent is global)");
    assertThat(cli.control().updates()).isEmpty();
  }

  @Test
  void unknownServiceIsOneLine() {
    Result r = cli.run("service", "update", "--env-add", "A=2", "nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("shoal: service nope not found (NOT_FOUND)");
  }

  @Test
  void warnsAboutARemovalThatMatchedNothing() {
    Result r = cli.run("service", "update", "--publish-rm", "7070", "-d", "web");
    assertThat(r.exitCode()).isZero();
    assertThat(r.errLines())
        .containsExactly("shoal: warning: --publish-rm 7070/tcp matched no port");
  }

  @Test
  void badPortSpecIsAUsageError() {
    Result r = cli.run("service", "update", "--publish-add", "8080:80/sctp", "web");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "shoal: Invalid value for option '--publish-add': bad port spec"
                + " \"8080:80/sctp\": unknown protocol \"sctp\" (use tcp or udp)",
            "See 'shoal service update --help'.");
  }

  @Test
  void waitsForTheNewSpecToReplaceTheOldTasks() {
    cli.control().simulateScheduler(true);
    assertThat(cli.run("service", "update", "-q", "web").exitCode()).isZero();
    assertThat(cli.control().tasks()).hasSize(2);

    Result r = cli.run("service", "update", "--env-add", "A=2", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .startsWith("web", "overall progress: 0 out of 2 tasks")
        .endsWith("verify: Service converged");
    ServiceSpec current = cli.control().service("web").getSpec();
    assertThat(cli.control().tasks())
        .filteredOn(t -> t.getDesiredState() == TaskState.TASK_STATE_RUNNING)
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.getSpec()).isEqualTo(current);
              assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_RUNNING);
            });
  }
}
