package io.shoal.control;

import io.shoal.control.limits.SpecLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.EndpointMode;
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
        Arguments.of("replicas one above the limit", (UnaryOperator<ServiceSpec.Builder>) b -> b.setReplicated(ReplicatedService.newBuilder().setReplicas(SpecLimits.MAX_REPLICAS + 1)), "ServiceSpec.replicated.replicas"),
        Arguments.of("replicas 2^64-1 (-1 signed)", (UnaryOperator<ServiceSpec.Builder>) b -> b.setReplicated(ReplicatedService.newBuilder().setReplicas(-1L)), "ServiceSpec.replicated.replicas"),
        Arguments.of("replicas 2^63 (MIN_VALUE signed)", (UnaryOperator<ServiceSpec.Builder>) b -> b.setReplicated(ReplicatedService.newBuilder().setReplicas(Long.MIN_VALUE)), "ServiceSpec.replicated.replicas"),
        Arguments.of("published port 2^32-1 (-1 signed)", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, -1))), "EndpointSpec.ports[0].published_port"),
        Arguments.of("target port 2^31 (negative signed)", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(Integer.MIN_VALUE, 8080))), "EndpointSpec.ports[0].target_port"),
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

  /** Every bound: one past it is refused naming the field and the limit. */
  static Stream<Arguments> overLimits() {
    return Stream.of(
        Arguments.of("service labels", (UnaryOperator<ServiceSpec.Builder>) b -> b.putAllLabels(labels(SpecLimits.MAX_LABELS + 1)), "ServiceSpec.labels", "the limit is 128"),
        Arguments.of("service label key", (UnaryOperator<ServiceSpec.Builder>) b -> b.putLabels("k".repeat(SpecLimits.MAX_LABEL_KEY + 1), "v"), "ServiceSpec.labels key", "the limit is 256"),
        Arguments.of("service label value", (UnaryOperator<ServiceSpec.Builder>) b -> b.putLabels("k", "v".repeat(SpecLimits.MAX_LABEL_VALUE + 1)), "ServiceSpec.labels[k]", "the limit is 4096"),
        Arguments.of("empty service label key", (UnaryOperator<ServiceSpec.Builder>) b -> b.putLabels("", "v"), "ServiceSpec.labels", "must not be empty"),
        Arguments.of("image reference", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.setImage("a".repeat(SpecLimits.MAX_IMAGE + 1))), "ContainerSpec.image", "521 characters long; the limit is 520"),
        Arguments.of("image reference of 'a.' repeated (once a regex stack overflow)", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.setImage("a.".repeat(1024) + "io/x")), "ContainerSpec.image", "the limit is 520"),
        Arguments.of("env count", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.addAllEnv(java.util.Collections.nCopies(SpecLimits.MAX_ENV + 1, "A=1"))), "ContainerSpec.env", "1001 entries; the limit is 1000"),
        Arguments.of("env entry", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.addEnv("A=1").addEnv("B=" + "x".repeat(SpecLimits.MAX_ENV_ENTRY))), "ContainerSpec.env[1]", "the limit is 32768"),
        Arguments.of("args count", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.addAllArgs(java.util.Collections.nCopies(SpecLimits.MAX_ARGS + 1, "x"))), "ContainerSpec.args", "the limit is 1000"),
        Arguments.of("arg", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.addArgs("x".repeat(SpecLimits.MAX_ARG + 1))), "ContainerSpec.args[0]", "the limit is 32768"),
        Arguments.of("workdir", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.setWorkdir("/" + "d".repeat(SpecLimits.MAX_WORKDIR))), "ContainerSpec.workdir", "the limit is 4096"),
        Arguments.of("user", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.setUser("u".repeat(SpecLimits.MAX_USER + 1))), "ContainerSpec.user", "the limit is 256"),
        Arguments.of("stop grace period", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.setStopGracePeriod(Duration.newBuilder().setSeconds(100_000_000_000_000_000L))), "ContainerSpec.stop_grace_period", "exceeds the limit of 3650 days"),
        Arguments.of("stop grace period nanos", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.setStopGracePeriod(Duration.newBuilder().setSeconds(1).setNanos(1_000_000_000))), "ContainerSpec.stop_grace_period.nanos", "outside 0-999999999"),
        Arguments.of("negative stop grace period", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.setStopGracePeriod(Duration.newBuilder().setSeconds(-1))), "ContainerSpec.stop_grace_period", "must not be negative"),
        Arguments.of("ports count", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(EndpointSpec.newBuilder().addAllPorts(java.util.Collections.nCopies(SpecLimits.MAX_PORTS + 1, PortConfig.newBuilder().setTargetPort(80).build()))), "EndpointSpec.ports", "1025 entries; the limit is 1024"),
        Arguments.of("port name", (UnaryOperator<ServiceSpec.Builder>) b -> b.setEndpoint(ports(port(80, 8080).toBuilder().setName("n".repeat(SpecLimits.MAX_PORT_NAME + 1)).build())), "EndpointSpec.ports[0].name", "the limit is 63"),
        Arguments.of("encoded spec", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.addAllEnv(java.util.Collections.nCopies(3, "A=" + "x".repeat(30_000)))), "ServiceSpec", "the limit is 65536"),
        Arguments.of("replicas × spec", (UnaryOperator<ServiceSpec.Builder>) b -> container(b, c -> c.addEnv("A=" + "x".repeat(20_000))).setReplicated(ReplicatedService.newBuilder().setReplicas(SpecLimits.MAX_REPLICAS)), "ServiceSpec.replicated.replicas", "shrink the spec or lower replicas"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overLimits")
  void refusesEachFieldPastItsLimitNamingTheLimit(String name, UnaryOperator<ServiceSpec.Builder> change, String field, String limit) {
    assertThatThrownBy(() -> SpecValidator.normalize(change.apply(valid()).build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.reason()).contains(limit);
        });
  }

  @Test
  void acceptsEveryFieldAtItsLimit() {
    ServiceSpec spec = valid()
        .setName("n".repeat(SpecLimits.MAX_NAME))
        .putLabels("k".repeat(SpecLimits.MAX_LABEL_KEY), "v".repeat(SpecLimits.MAX_LABEL_VALUE))
        .setContainer(ContainerSpec.newBuilder().setImage("r".repeat(SpecLimits.MAX_IMAGE))
            .addEnv("A=" + "x".repeat(SpecLimits.MAX_ENV_ENTRY - 2)).addArgs("y".repeat(SpecLimits.MAX_ARG / 2))
            .setWorkdir("d".repeat(SpecLimits.MAX_WORKDIR)).setUser("u".repeat(SpecLimits.MAX_USER))
            .setStopGracePeriod(Duration.newBuilder().setSeconds(SpecLimits.MAX_DURATION.getSeconds())))
        .setEndpoint(ports(port(80, 8080).toBuilder().setName("p".repeat(SpecLimits.MAX_PORT_NAME)).build()))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(SpecLimits.MAX_SPEC_BYTES_IN_TASKS / SpecLimits.MAX_SPEC_BYTES))
        .build();

    assertThat(SpecValidator.normalize(spec).getSerializedSize()).isLessThanOrEqualTo(SpecLimits.MAX_SPEC_BYTES);
    assertThat(SpecValidator.normalize(valid().setContainer(valid().getContainer().toBuilder()
        .addArgs("y".repeat(SpecLimits.MAX_ARG))).build()).getContainer().getArgs(0)).hasSize(SpecLimits.MAX_ARG);
  }

  @Test
  void maxReplicasOfASmallSpecAreFine() {
    ServiceSpec spec = SpecValidator.normalize(valid()
        .setReplicated(ReplicatedService.newBuilder().setReplicas(SpecLimits.MAX_REPLICAS)).build());
    assertThat(spec.getReplicated().getReplicas()).isEqualTo(10_000);
  }

  @Test
  void replicasOf2To64Minus1AreNamedUnsigned() {
    assertThatThrownBy(() -> SpecValidator.normalize(valid()
            .setReplicated(ReplicatedService.newBuilder().setReplicas(-1L)).build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.reason())
            .isEqualTo("18446744073709551615 exceeds the limit of 10000"));
  }

  @Test
  void anOverlongImageIsNotEchoed() {
    String image = "a-".repeat(5000) + "b";
    assertThatThrownBy(() -> SpecValidator.normalize(valid()
            .setContainer(ContainerSpec.newBuilder().setImage(image)).build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.getMessage())
            .isEqualTo("ContainerSpec.image: is 10001 characters long; the limit is 520"));
  }

  private static ServiceSpec.Builder container(ServiceSpec.Builder b, UnaryOperator<ContainerSpec.Builder> change) {
    return b.setContainer(change.apply(b.getContainer().toBuilder()));
  }

  private static java.util.Map<String, String> labels(int n) {
    java.util.Map<String, String> labels = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      labels.put("k" + i, "v");
    }
    return labels;
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

  @Test
  void dnsrrWithAnIngressPortIsRefusedInSwarmsWords() {
    EndpointSpec endpoint = ports(port(80, 8080).toBuilder().setPublishMode(PublishMode.PUBLISH_MODE_HOST).build(),
        port(443, 8443)).toBuilder().setMode(EndpointMode.ENDPOINT_MODE_DNSRR).build();

    assertThatThrownBy(() -> SpecValidator.normalize(valid().setEndpoint(endpoint).build()))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.field()).isEqualTo("EndpointSpec.mode");
          assertThat(e.reason()).isEqualTo("port published with ingress mode can't be used with dnsrr mode"
              + " (port 443/tcp; publish it with mode=host, or use --endpoint-mode vip)");
        });
  }

  @Test
  void dnsrrWithHostPortsIsKept() {
    EndpointSpec endpoint = ports(port(80, 8080).toBuilder().setPublishMode(PublishMode.PUBLISH_MODE_HOST).build())
        .toBuilder().setMode(EndpointMode.ENDPOINT_MODE_DNSRR).build();

    ServiceSpec spec = SpecValidator.normalize(valid().setEndpoint(endpoint).build());

    assertThat(spec.getEndpoint().getMode()).isEqualTo(EndpointMode.ENDPOINT_MODE_DNSRR);
    assertThat(spec.getEndpoint().getPortsList()).hasSize(1);
    assertThat(SpecValidator.normalize(valid().setEndpoint(EndpointSpec.newBuilder()
        .setMode(EndpointMode.ENDPOINT_MODE_DNSRR)).build()).getEndpoint().getMode()).isEqualTo(EndpointMode.ENDPOINT_MODE_DNSRR);
  }

  @Test
  void vipIsKeptWithIngressPortsAndUnspecifiedStaysUnspecified() {
    EndpointSpec vip = ports(port(80, 8080)).toBuilder().setMode(EndpointMode.ENDPOINT_MODE_VIP).build();

    assertThat(SpecValidator.normalize(valid().setEndpoint(vip).build()).getEndpoint().getMode())
        .isEqualTo(EndpointMode.ENDPOINT_MODE_VIP);
    assertThat(SpecValidator.normalize(valid().setEndpoint(ports(port(80, 8080))).build()).getEndpoint().getMode())
        .isEqualTo(EndpointMode.ENDPOINT_MODE_UNSPECIFIED);
  }

  @Test
  void anUnknownEndpointModeIsRefused() {
    ServiceSpec spec = valid().setEndpoint(EndpointSpec.newBuilder().setModeValue(7)).build();

    assertThatThrownBy(() -> SpecValidator.normalize(spec))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.field()).isEqualTo("EndpointSpec.mode");
          assertThat(e.reason()).isEqualTo("unknown endpoint mode 7 (use vip or dnsrr)");
        });
  }

  private static PortConfig port(int target, int published) {
    return PortConfig.newBuilder().setTargetPort(target).setPublishedPort(published).build();
  }

  private static EndpointSpec ports(PortConfig... ports) {
    return EndpointSpec.newBuilder().addAllPorts(java.util.List.of(ports)).build();
  }
}
