package io.shoal.meshproxy.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableBuilderTest {
  private static PortConfig port(int target, int published) {
    return PortConfig.newBuilder().setTargetPort(target).setPublishedPort(published)
        .setProtocol(Protocol.PROTOCOL_TCP).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS)
        .build();
  }

  private static Service service(String id, String name, long created, PortConfig... ports) {
    return Service.newBuilder().setId(id)
        .setCreateTime(Timestamp.newBuilder().setSeconds(created))
        .setSpec(ServiceSpec.newBuilder().setName(name)
            .setEndpoint(EndpointSpec.newBuilder().addAllPorts(List.of(ports))))
        .build();
  }

  private static PortBinding binding(int target, String ip, int hostPort) {
    return PortBinding.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(target)
        .setHostIp(ip).setHostPort(hostPort).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS)
        .build();
  }

  private static Task task(String id, String serviceId, long slot, TaskState desired,
      TaskState state, PortBinding... bindings) {
    return Task.newBuilder().setId(id).setServiceId(serviceId).setSlot(slot)
        .setDesiredState(desired)
        .setStatus(TaskStatus.newBuilder().setState(state).addAllPorts(List.of(bindings)))
        .build();
  }

  private static Task running(String id, String serviceId, long slot, PortBinding... bindings) {
    return task(id, serviceId, slot, TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_RUNNING,
        bindings);
  }

  private static Backend backend(String taskId, String ip, int port) {
    return new Backend(taskId, new InetSocketAddress(ip, port));
  }

  @Test
  void ingressPortRoutesToRunningTasksInSlotOrder() {
    Service web = service("s1", "web", 1, port(80, 8080));
    List<Task> tasks = List.of(
        running("t2", "s1", 2, binding(80, "127.0.0.3", 32001)),
        running("t1", "s1", 1, binding(80, "127.0.0.2", 32000)),
        running("x1", "other", 1, binding(80, "127.0.0.2", 32999)));

    RouteTable table = RouteTableBuilder.build(List.of(web), tasks);

    assertThat(table.routes()).containsOnlyKeys(PortKey.tcp(8080));
    Route route = table.route(PortKey.tcp(8080));
    assertThat(route.serviceId()).isEqualTo("s1");
    assertThat(route.serviceName()).isEqualTo("web");
    assertThat(route.targetPort()).isEqualTo(80);
    assertThat(route.backends()).containsExactly(
        backend("t1", "127.0.0.2", 32000), backend("t2", "127.0.0.3", 32001));
    assertThat(table.problems()).isEmpty();
  }

  @Test
  void unspecifiedModeAndProtocolMeanIngressTcp() {
    PortConfig bare = PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080).build();
    PortBinding bareBinding = PortBinding.newBuilder().setTargetPort(80)
        .setHostIp("127.0.0.2").setHostPort(32000).build();

    RouteTable table = RouteTableBuilder.build(List.of(service("s1", "web", 1, bare)),
        List.of(running("t1", "s1", 1, bareBinding)));

    assertThat(table.route(PortKey.tcp(8080)).backends())
        .containsExactly(backend("t1", "127.0.0.2", 32000));
  }

  @Test
  void hostModeAndUnpublishedPortsGetNoRoute() {
    PortConfig host = port(80, 8080).toBuilder().setPublishMode(PublishMode.PUBLISH_MODE_HOST)
        .build();
    PortConfig unpublished = port(81, 0);

    RouteTable table = RouteTableBuilder.build(
        List.of(service("s1", "web", 1, host, unpublished)), List.of());

    assertThat(table.routes()).isEmpty();
    assertThat(table.problems()).isEmpty();
  }

  @Test
  void aUdpPortRoutesToTheUdpBindingsOnly() {
    PortConfig udp = port(53, 5353).toBuilder().setProtocol(Protocol.PROTOCOL_UDP).build();
    PortBinding udpBinding = binding(53, "127.0.0.2", 32053).toBuilder()
        .setProtocol(Protocol.PROTOCOL_UDP).build();

    RouteTable table = RouteTableBuilder.build(List.of(service("s1", "dns", 1, udp)),
        List.of(running("t1", "s1", 1, binding(53, "127.0.0.2", 32000), udpBinding)));

    PortKey key = new PortKey(Protocol.PROTOCOL_UDP, 5353);
    assertThat(table.routes()).containsOnlyKeys(key);
    assertThat(table.route(key).backends()).containsExactly(backend("t1", "127.0.0.2", 32053));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "LOAD_BALANCING_UNSPECIFIED, LOAD_BALANCING_ROUND_ROBIN",
      "LOAD_BALANCING_ROUND_ROBIN, LOAD_BALANCING_ROUND_ROBIN",
      "LOAD_BALANCING_LEAST_CONN,  LOAD_BALANCING_LEAST_CONN",
  })
  void theServicesLoadBalancingIsResolvedOnEveryRoute(LoadBalancing asked, LoadBalancing used) {
    Service web = service("s1", "web", 1, port(80, 8080));
    web = web.toBuilder().setSpec(web.getSpec().toBuilder()
        .setEndpoint(web.getSpec().getEndpoint().toBuilder().setLoadBalancing(asked))).build();

    RouteTable table = RouteTableBuilder.build(List.of(web), List.of());

    assertThat(table.route(PortKey.tcp(8080)).loadBalancing()).isEqualTo(used);
  }

  @Test
  void thePortsProxyProtocolIsKeptExceptV1OnUdpWhichIsDroppedWithAProblem() {
    PortConfig v1 = port(80, 8080).toBuilder().setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V1)
        .build();
    PortConfig v2 = port(443, 8443).toBuilder().setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V2)
        .build();
    PortConfig plain = port(81, 8081);
    PortConfig udpV2 = v2.toBuilder().setProtocol(Protocol.PROTOCOL_UDP).setPublishedPort(5353)
        .build();
    PortConfig udpV1 = v1.toBuilder().setProtocol(Protocol.PROTOCOL_UDP).setPublishedPort(5354)
        .build();

    RouteTable table = RouteTableBuilder.build(
        List.of(service("s1", "web", 1, v1, v2, plain, udpV2, udpV1)), List.of());

    assertThat(table.route(PortKey.tcp(8080)).proxyProtocol())
        .isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V1);
    assertThat(table.route(PortKey.tcp(8443)).proxyProtocol())
        .isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V2);
    assertThat(table.route(PortKey.tcp(8081)).proxyProtocol())
        .isEqualTo(ProxyProtocol.PROXY_PROTOCOL_NONE);
    assertThat(table.route(new PortKey(Protocol.PROTOCOL_UDP, 5353)).proxyProtocol())
        .isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V2);
    assertThat(table.route(new PortKey(Protocol.PROTOCOL_UDP, 5354)).proxyProtocol())
        .isEqualTo(ProxyProtocol.PROXY_PROTOCOL_NONE);
    assertThat(table.problems()).singleElement().asString()
        .contains("web", "5354/udp", "PROXY protocol v1");
  }

  @ParameterizedTest(name = "desired {0}, actual {1}: backend {2}")
  @CsvSource({
      "TASK_STATE_RUNNING,  TASK_STATE_RUNNING,  true",
      "TASK_STATE_SHUTDOWN, TASK_STATE_RUNNING,  false",
      "TASK_STATE_REMOVE,   TASK_STATE_RUNNING,  false",
      "TASK_STATE_RUNNING,  TASK_STATE_STARTING, false",
      "TASK_STATE_RUNNING,  TASK_STATE_ASSIGNED, false",
      "TASK_STATE_RUNNING,  TASK_STATE_FAILED,   false",
      "TASK_STATE_SHUTDOWN, TASK_STATE_SHUTDOWN, false",
  })
  void onlyTasksRunningAndMeantToRunAreBackends(
      TaskState desired, TaskState actual, boolean backend) {
    Task t = task("t1", "s1", 1, desired, actual, binding(80, "127.0.0.2", 32000));

    RouteTable table = RouteTableBuilder.build(List.of(service("s1", "web", 1, port(80, 8080))),
        List.of(t));

    assertThat(RouteTableBuilder.isBackend(t)).isEqualTo(backend);
    assertThat(table.route(PortKey.tcp(8080)).backends()).hasSize(backend ? 1 : 0);
  }

  @Test
  void eachPortUsesTheBindingOfItsOwnTargetPort() {
    Service web = service("s1", "web", 1, port(80, 8080), port(443, 8443));
    Task t = running("t1", "s1", 1, binding(443, "127.0.0.2", 32001),
        binding(80, "127.0.0.2", 32000));

    RouteTable table = RouteTableBuilder.build(List.of(web), List.of(t));

    assertThat(table.route(PortKey.tcp(8080)).backends())
        .containsExactly(backend("t1", "127.0.0.2", 32000));
    assertThat(table.route(PortKey.tcp(8443)).backends())
        .containsExactly(backend("t1", "127.0.0.2", 32001));
  }

  @Test
  void tasksWithoutAUsableEndpointAreLeftOut() {
    Service web = service("s1", "web", 1, port(80, 8080));
    List<Task> tasks = List.of(
        running("old-target", "s1", 1, binding(8000, "127.0.0.2", 32000)),
        running("no-ports", "s1", 2),
        running("no-ip", "s1", 3, binding(80, "", 32002)),
        running("udp", "s1", 4, binding(80, "127.0.0.2", 32003).toBuilder()
            .setProtocol(Protocol.PROTOCOL_UDP).build()),
        running("wildcard", "s1", 5, binding(80, "0.0.0.0", 32004)),
        running("good", "s1", 6, binding(80, "127.0.0.2", 32005)));

    RouteTable table = RouteTableBuilder.build(List.of(web), tasks);

    assertThat(table.route(PortKey.tcp(8080)).backends())
        .containsExactly(backend("good", "127.0.0.2", 32005));
    assertThat(table.problems()).singleElement().asString().contains("wildcard", "0.0.0.0");
  }

  @Test
  void anIngressBindingIsPreferredOverAHostModeOneOfTheSameTargetPort() {
    PortBinding host = binding(80, "127.0.0.2", 8080).toBuilder()
        .setPublishMode(PublishMode.PUBLISH_MODE_HOST).build();

    RouteTable table = RouteTableBuilder.build(List.of(service("s1", "web", 1, port(80, 9090))),
        List.of(running("t1", "s1", 1, host, binding(80, "127.0.0.2", 32000))));

    assertThat(table.route(PortKey.tcp(9090)).backends())
        .containsExactly(backend("t1", "127.0.0.2", 32000));
  }

  @Test
  void aServiceWithoutRunningTasksKeepsItsPortWithNoBackends() {
    RouteTable table = RouteTableBuilder.build(List.of(service("s1", "web", 1, port(80, 8080))),
        List.of());

    assertThat(table.route(PortKey.tcp(8080)).backends()).isEmpty();
  }

  @Test
  void theOlderServiceKeepsAContestedPort() {
    Service newer = service("s2", "api", 20, port(80, 8080));
    Service older = service("s1", "web", 10, port(80, 8080));

    RouteTable table = RouteTableBuilder.build(List.of(newer, older), List.of());

    assertThat(table.route(PortKey.tcp(8080)).serviceName()).isEqualTo("web");
    assertThat(table.problems()).singleElement().asString()
        .contains("8080/tcp", "web", "api", "serving web");
  }

  @Test
  void equalInputsGiveEqualTables() {
    Service web = service("s1", "web", 1, port(80, 8080));
    Task t = running("t1", "s1", 1, binding(80, "127.0.0.2", 32000));

    assertThat(RouteTableBuilder.build(List.of(web), List.of(t)))
        .isEqualTo(RouteTableBuilder.build(List.of(web), List.of(t)));
  }
}
