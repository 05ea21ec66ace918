package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.ListServicesResponse;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.cli.parse.PortSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceInspectCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  Service web;
  Service agent;

  @BeforeEach
  void seed() {
    ServiceSpec.Builder spec =
        Fixtures.replicated("web", "nginx:1.27@" + Fixtures.DIGEST, 3).toBuilder();
    spec.getContainerBuilder()
        .addAllEnv(List.of("A=1", "B=2"))
        .addAllArgs(List.of("nginx", "-g", "daemon off;"))
        .setWorkdir("/srv");
    spec.setEndpoint(
        EndpointSpec.newBuilder()
            .addPorts(PortSpec.parse("8080:80"))
            .addPorts(PortSpec.parse("mode=host,target=53,protocol=udp")));
    web = cli.control().addService(spec.build());
    agent = cli.control().addService(Fixtures.global("agent", "agent:1"));
  }

  @Test
  void printsAJsonArrayOfTheServices() throws Exception {
    Result r = cli.run("service", "inspect", "web", agent.getId());

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("[\n  {\n    \"id\": \"" + web.getId() + "\",");
    ListServicesResponse.Builder parsed = ListServicesResponse.newBuilder();
    JsonFormat.parser().merge("{\"services\": " + r.out() + "}", parsed);
    assertThat(parsed.getServicesList()).containsExactly(web, agent);
  }

  @Test
  void theJsonShowsTheVirtualIpsTheSchedulerAllocated() throws Exception {
    Service withVip = cli.control().setEndpoint("web", io.shoal.api.v1.Endpoint.newBuilder()
        .addVirtualIps(io.shoal.api.v1.EndpointVirtualIp.newBuilder().setNetworkId("n1").setAddr("10.0.0.2/24"))
        .build());

    Result r = cli.run("service", "inspect", "web");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("\"virtualIps\": [{", "\"addr\": \"10.0.0.2/24\"");
    ListServicesResponse.Builder parsed = ListServicesResponse.newBuilder();
    JsonFormat.parser().merge("{\"services\": " + r.out() + "}", parsed);
    assertThat(parsed.getServicesList()).containsExactly(withVip);
  }

  @Test
  void missingServicesAreReportedAndTheRestPrinted() throws Exception {
    Result r = cli.run("service", "inspect", "nope", "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: service nope not found (NOT_FOUND)");
    ListServicesResponse.Builder parsed = ListServicesResponse.newBuilder();
    JsonFormat.parser().merge("{\"services\": " + r.out() + "}", parsed);
    assertThat(parsed.getServicesList()).containsExactly(web);
  }

  @Test
  void prettyShowsLeastConnAndTheProxyProtocolOfAPort() {
    ServiceSpec.Builder spec = Fixtures.replicated("lb", "nginx", 1).toBuilder();
    spec.setEndpoint(
        EndpointSpec.newBuilder()
            .setLoadBalancing(LoadBalancing.LOAD_BALANCING_LEAST_CONN)
            .addPorts(PortSpec.parse("published=8080,target=80,proxy-protocol=v1")));
    cli.control().addService(spec.build());

    Result r = cli.run("service", "inspect", "--pretty", "lb");

    assertThat(r.outLines())
        .containsSubsequence(
            "Endpoint LB:      least-conn",
            "Ports:",
            " PublishedPort = 8080",
            "  PublishMode = ingress",
            "  ProxyProtocol = v1");
  }

  @Test
  void prettyShowsTheHostPortEachRunningTaskGot() {
    PortBinding picked =
        PortBinding.newBuilder()
            .setProtocol(Protocol.PROTOCOL_UDP)
            .setTargetPort(53)
            .setHostIp("127.0.0.2")
            .setHostPort(30001)
            .setPublishMode(PublishMode.PUBLISH_MODE_HOST)
            .build();
    Task running =
        Fixtures.task("t1", web.getSpec(), 1, TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING, 5)
            .setServiceId(web.getId())
            .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_RUNNING).addPorts(picked))
            .build();
    Task old =
        running.toBuilder()
            .setId("t0")
            .setDesiredState(TaskState.TASK_STATE_SHUTDOWN)
            .setStatus(running.getStatus().toBuilder().setPorts(0, picked.toBuilder().setHostPort(30000)))
            .build();
    cli.control().addTask(running);
    cli.control().addTask(old);

    Result r = cli.run("service", "inspect", "--pretty", "web");

    assertThat(r.outLines()).containsSubsequence("Host Ports:", " web.1 127.0.0.2:30001->53/udp");
    assertThat(r.out()).doesNotContain("30000");
  }

  @Test
  void prettyListsSecretsAndConfigsByTargetAndNameOnly() {
    ServiceSpec.Builder spec = Fixtures.replicated("app", "nginx", 1).toBuilder();
    spec.addSecrets(io.shoal.api.v1.SecretReference.newBuilder().setSecretId("sid1").setSecretName("db-pass")
        .setFile(io.shoal.api.v1.FileTarget.newBuilder().setName("db").setUid("0").setGid("0").setMode(0400)));
    spec.addConfigs(io.shoal.api.v1.ConfigReference.newBuilder().setConfigId("cid1").setConfigName("nginx-conf")
        .setFile(io.shoal.api.v1.FileTarget.newBuilder().setName("/etc/nginx.conf").setMode(0444)));
    cli.control().addService(spec.build());

    Result r = cli.run("service", "inspect", "--pretty", "app");

    assertThat(r.outLines()).containsSubsequence(
        "ContainerSpec:", " Secrets:", "  Target:\tdb", "   Source:\tdb-pass",
        " Configs:", "  Target:\t/etc/nginx.conf", "   Source:\tnginx-conf", "Endpoint Mode:    vip");
    assertThat(r.out()).doesNotContain("sid1").doesNotContain("cid1");
  }

  @Test
  void prettyShowsTheEndpointModeAsDockerDoes() {
    ServiceSpec.Builder spec = Fixtures.replicated("db", "postgres", 1).toBuilder();
    spec.getEndpointBuilder().setMode(EndpointMode.ENDPOINT_MODE_DNSRR);
    cli.control().addService(spec.build());

    assertThat(cli.run("service", "inspect", "--pretty", "db").outLines()).contains("Endpoint Mode:    dnsrr");
    assertThat(cli.run("service", "inspect", "db").out()).contains("\"mode\": \"ENDPOINT_MODE_DNSRR\"");
  }

  @Test
  void nothingFoundIsAnEmptyArray() {
    Result r = cli.run("service", "inspect", "nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("[]\n");
  }

  @Test
  void prettyIsAReadableSummary() {
    cli.control().addService(Fixtures.replicated("warned", "busybox", 1));
    Result r = cli.run("service", "inspect", "--pretty", "web", "agent");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "ID:               " + web.getId(),
            "Name:             web",
            "Service Mode:     Replicated",
            " Replicas:        3",
            "ContainerSpec:",
            " Image:           nginx:1.27@" + Fixtures.DIGEST,
            " Args:            nginx -g daemon off;",
            " Env:             A=1",
            "                  B=2",
            " Dir:             /srv",
            "Endpoint Mode:    vip",
            "Ports:",
            " PublishedPort = 8080",
            "  Protocol = tcp",
            "  TargetPort = 80",
            "  PublishMode = ingress",
            " PublishedPort = (none)",
            "  Protocol = udp",
            "  TargetPort = 53",
            "  PublishMode = host",
            "",
            "ID:               " + agent.getId(),
            "Name:             agent",
            "Service Mode:     Global",
            "ContainerSpec:",
            " Image:           agent:1",
            "Endpoint Mode:    vip");
  }

  @Test
  void prettyShowsWhyTheSchedulerCantReconcileTheService() {
    cli.control().setReconcileError("agent", "replicated.replicas: 18446744073709551615 is above the limit of 100000");

    Result r = cli.run("service", "inspect", "--pretty", "agent");

    assertThat(r.outLines()).containsSubsequence("Service Mode:     Global",
        "ReconcileError:   replicated.replicas: 18446744073709551615 is above the limit of 100000", "ContainerSpec:");
  }

  @Test
  void prettyShowsWarnings() {
    cli.control().createWarnings(List.of("image busybox:latest could not be resolved"));
    cli.run("service", "create", "--name", "warned", "-d", "busybox");
    Result r = cli.run("service", "inspect", "--pretty", "warned");
    assertThat(r.outLines()).endsWith("Warnings:", " image busybox:latest could not be resolved");
  }
}
