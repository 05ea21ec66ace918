package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.InvalidArgumentException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {
  private static ServiceSpec.Builder valid() {
    return ServiceSpec.newBuilder().setName("web")
        .setContainer(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/demo/web:1"));
  }

  @Test
  void fillsSwarmDefaults() {
    ServiceSpec spec = SpecValidator.normalize(valid()
        .setEndpoint(EndpointSpec.newBuilder().addPorts(PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080)))
        .build());

    assertThat(spec.getReplicated().getReplicas()).isEqualTo(1);
    assertThat(spec.getEndpoint().getPorts(0).getProtocol()).isEqualTo(Protocol.PROTOCOL_TCP);
    assertThat(spec.getEndpoint().getPorts(0).getPublishMode()).isEqualTo(PublishMode.PUBLISH_MODE_INGRESS);
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("no name", (UnaryOperator<ServiceSpec.Builder>) b -> b.setName(""), "ServiceSpec.name"),
        Arguments.of("bad name", (UnaryOperator<ServiceSpec.Builder>) b -> b.setName("-web"), "ServiceSpec.name"),
        Arguments.of("name with slash", (UnaryOperator<ServiceSpec.Builder>) b -> b.setName("a/b"), "ServiceSpec.name"),
        Arguments.of("long name", (UnaryOperator<ServiceSpec.Builder>) b -> b.setName("a".repeat(64)), "ServiceSpec.name"),
        Arguments.of("no image", (UnaryOperator<ServiceSpec.Builder>) b -> b.setContainer(ContainerSpec.newBuilder()), "ContainerSpec.image"),
        Arguments.of("image with space", (UnaryOperator<ServiceSpec.Builder>) b -> b.setContainer(ContainerSpec.newBuilder().setImage("a b")), "ContainerSpec.image"),
        Arguments.of("env without key", (UnaryOperator<ServiceSpec.Builder>) b -> b.setContainer(b.getContainer().toBuilder().addEnv("=x")), "ContainerSpec.env[0]"),
        Arguments.of("too many replicas", (UnaryOperator<ServiceSpec.Builder>) b -> b.setReplicated(ReplicatedService.newBuilder().setReplicas(1_000_000)), "ServiceSpec.replicated.replicas"),
        Arguments.of("target port 0", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(0, 8080))), "EndpointSpec.ports[0].target_port"),
        Arguments.of("target port 65536", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(65536, 8080))), "EndpointSpec.ports[0].target_port"),
        Arguments.of("published port 70000", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, 70000))), "EndpointSpec.ports[0].published_port"),
        Arguments.of("port published twice", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, 8080), port(81, 8080))), "EndpointSpec.ports[1].published_port"),
        Arguments.of("unknown protocol", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, 8080).toBuilder().setProtocolValue(9).build())), "EndpointSpec.ports[0]"),
        Arguments.of("PROXY protocol on a host-mode port", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, 8080).toBuilder().setPublishMode(PublishMode.PUBLISH_MODE_HOST).setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V1).build())), "EndpointSpec.ports[0].proxy_protocol"),
        Arguments.of("PROXY protocol v1 on a udp port", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(53, 53).toBuilder().setProtocol(Protocol.PROTOCOL_UDP).setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V1).build())), "EndpointSpec.ports[0].proxy_protocol"),
        Arguments.of("PROXY protocol v2 on a host-mode udp port", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(53, 53).toBuilder().setProtocol(Protocol.PROTOCOL_UDP).setPublishMode(PublishMode.PUBLISH_MODE_HOST).setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V2).build())), "EndpointSpec.ports[0].proxy_protocol"),
        Arguments.of("unknown PROXY protocol version", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, 8080).toBuilder().setProxyProtocolValue(7).build())), "EndpointSpec.ports[0].proxy_protocol"),
        Arguments.of("unknown load balancing", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, 8080)).toBuilder().setLoadBalancingValue(9).build()), "EndpointSpec.load_balancing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void rejectsNamingTheField(String name, UnaryOperator<ServiceSpec.Builder> change, String field) {
    assertThatThrownBy(() -> SpecValidator.normalize(change.apply(valid()).build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void samePortOnTcpAndUdpIsFine() {
    ServiceSpec spec = SpecValidator.normalize(valid().setEndpoint(ports(port(53, 53),
        port(53, 53).toBuilder().setProtocol(Protocol.PROTOCOL_UDP).build())).build());
    assertThat(spec.getEndpoint().getPortsCount()).isEqualTo(2);
  }

  @Test
  void loadBalancingAndProxyProtocolOfAnIngressTcpPortAreKept() {
    EndpointSpec endpoint = ports(port(80, 8080).toBuilder()
        .setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V2).build()).toBuilder()
        .setLoadBalancing(LoadBalancing.LOAD_BALANCING_LEAST_CONN).build();

    ServiceSpec spec = SpecValidator.normalize(valid().setEndpoint(endpoint).build());

    assertThat(spec.getEndpoint().getLoadBalancing()).isEqualTo(LoadBalancing.LOAD_BALANCING_LEAST_CONN);
    assertThat(spec.getEndpoint().getPorts(0).getProxyProtocol()).isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V2);
  }

  @Test
  void proxyProtocolV2OnAnIngressUdpPortIsKept() {
    ServiceSpec spec = SpecValidator.normalize(valid().setEndpoint(ports(port(53, 5353).toBuilder()
        .setProtocol(Protocol.PROTOCOL_UDP).setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V2)
        .build())).build());

    assertThat(spec.getEndpoint().getPorts(0).getProxyProtocol()).isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V2);
    assertThat(spec.getEndpoint().getPorts(0).getPublishMode()).isEqualTo(PublishMode.PUBLISH_MODE_INGRESS);
  }

  @Test
  void proxyProtocolV1OnAUdpPortIsRefusedNamingThePortAndTheFix() {
    ServiceSpec spec = valid().setEndpoint(ports(port(80, 8080), port(53, 5353).toBuilder()
        .setProtocol(Protocol.PROTOCOL_UDP).setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V1)
        .build())).build();

    assertThatThrownBy(() -> SpecValidator.normalize(spec))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.field()).isEqualTo("EndpointSpec.ports[1].proxy_protocol");
          assertThat(e.reason()).isEqualTo("PROXY protocol v1 has no udp form; port 53/udp can"
              + " carry v2, in front of every datagram (use proxy-protocol=v2)");
        });
  }

  private static PortConfig port(int target, int published) {
    return PortConfig.newBuilder().setTargetPort(target).setPublishedPort(published).build();
  }

  private static EndpointSpec ports(PortConfig... ports) {
    return EndpointSpec.newBuilder().addAllPorts(java.util.List.of(ports)).build();
  }
}
