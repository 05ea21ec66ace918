package io.shoal.cli.parse;

import static io.shoal.api.v1.Protocol.PROTOCOL_TCP;
import static io.shoal.api.v1.Protocol.PROTOCOL_UDP;
import static io.shoal.api.v1.PublishMode.PUBLISH_MODE_HOST;
import static io.shoal.api.v1.PublishMode.PUBLISH_MODE_INGRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.PublishMode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PortSpecTest {

  static Stream<Arguments> valid() {
    return Stream.of(
        // spec, published, target, protocol, mode
        Arguments.of("80", 0, 80, PROTOCOL_TCP, PUBLISH_MODE_INGRESS),
        Arguments.of("8080:80", 8080, 80, PROTOCOL_TCP, PUBLISH_MODE_INGRESS),
        Arguments.of("8080:80/udp", 8080, 80, PROTOCOL_UDP, PUBLISH_MODE_INGRESS),
        Arguments.of("8080:80/tcp", 8080, 80, PROTOCOL_TCP, PUBLISH_MODE_INGRESS),
        Arguments.of("8080:80/UDP", 8080, 80, PROTOCOL_UDP, PUBLISH_MODE_INGRESS),
        Arguments.of("53/udp", 0, 53, PROTOCOL_UDP, PUBLISH_MODE_INGRESS),
        Arguments.of("1:65535", 1, 65535, PROTOCOL_TCP, PUBLISH_MODE_INGRESS),
        Arguments.of("target=80", 0, 80, PROTOCOL_TCP, PUBLISH_MODE_INGRESS),
        Arguments.of("published=8080,target=80", 8080, 80, PROTOCOL_TCP, PUBLISH_MODE_INGRESS),
        Arguments.of("target=80,published=8080", 8080, 80, PROTOCOL_TCP, PUBLISH_MODE_INGRESS),
        Arguments.of(
            "published=8080,target=80,protocol=udp,mode=host",
            8080,
            80,
            PROTOCOL_UDP,
            PUBLISH_MODE_HOST),
        Arguments.of("mode=host,target=80", 0, 80, PROTOCOL_TCP, PUBLISH_MODE_HOST),
        Arguments.of(
            "published=8080, target=80, protocol=tcp, mode=ingress",
            8080,
            80,
            PROTOCOL_TCP,
            PUBLISH_MODE_INGRESS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parsesDockerForms(
      String spec, int published, int target, Protocol protocol, PublishMode mode) {
    assertThat(PortSpec.parse(spec))
        .isEqualTo(
            PortConfig.newBuilder()
                .setPublishedPort(published)
                .setTargetPort(target)
                .setProtocol(protocol)
                .setPublishMode(mode)
                .build());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'published=8080,target=80,proxy-protocol=v1', PROTOCOL_TCP, PROXY_PROTOCOL_V1",
    "'published=8080,target=80,proxy-protocol=v2', PROTOCOL_TCP, PROXY_PROTOCOL_V2",
    "'published=8080,target=80,proxy-protocol=none', PROTOCOL_TCP, PROXY_PROTOCOL_NONE",
    "'published=8080,target=80', PROTOCOL_TCP, PROXY_PROTOCOL_UNSPECIFIED",
    "'published=5353,target=53,protocol=udp,proxy-protocol=v2', PROTOCOL_UDP, PROXY_PROTOCOL_V2",
    "'proxy-protocol=v2,protocol=udp,target=53', PROTOCOL_UDP, PROXY_PROTOCOL_V2",
    // Read as written: control refuses v1 on udp and names the fix, for every client alike.
    "'published=5353,target=53,protocol=udp,proxy-protocol=v1', PROTOCOL_UDP, PROXY_PROTOCOL_V1",
  })
  void readsShoalsProxyProtocolKey(String spec, Protocol protocol, ProxyProtocol proxy) {
    PortConfig port = PortSpec.parse(spec);
    assertThat(port.getProtocol()).isEqualTo(protocol);
    assertThat(port.getProxyProtocol()).isEqualTo(proxy);
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                     | empty port spec",
        "0                      | target port 0 is out of range 1-65535",
        "70000                  | target port 70000 is out of range 1-65535",
        "99999999999            | target port 99999999999 is out of range 1-65535",
        "8080:0                 | target port 0 is out of range",
        "0:80                   | published port 0 is out of range",
        "70000:80               | published port 70000 is out of range",
        "abc                    | target port \"abc\" is not a number",
        "8080:abc               | target port \"abc\" is not a number",
        "x:80                   | published port \"x\" is not a number",
        "8080:80/sctp           | unknown protocol \"sctp\" (use tcp or udp)",
        "8080:80/               | unknown protocol \"\"",
        ":80                    | missing published port",
        "8080:                  | missing target port",
        "127.0.0.1:8080:80      | a host IP is not supported",
        "8080-8081:80-81        | port ranges are not supported",
        "published=8080         | missing target port",
        "published=,target=80   | missing published port",
        "published=8080,target= | missing target port",
        "target=0               | target port 0 is out of range",
        "target=80,mode=bridge  | unknown mode \"bridge\" (use ingress or host)",
        "target=80,protocol=sctp| unknown protocol \"sctp\"",
        "target=80,foo=1        | unknown key \"foo\" (use published, target, protocol, mode, proxy-protocol)",
        "target=80,proxy-protocol=v3 | unknown proxy-protocol \"v3\" (use v1, v2 or none)",
        "target=80,published    | field \"published\" is not key=value",
      })
  void rejectsBadSpecsNamingTheProblem(String spec, String message) {
    assertThatThrownBy(() -> PortSpec.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> {
              if (!spec.isEmpty()) {
                assertThat(e).hasMessageStartingWith("bad port spec \"" + spec + "\": ");
              }
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "80, 80/tcp",
    "8080:80, 8080:80/tcp",
    "8080:80/udp, 8080:80/udp",
    "'published=8080,target=80,mode=host', 'published=8080,target=80,protocol=tcp,mode=host'",
    "'target=80,mode=host,protocol=udp', 'target=80,protocol=udp,mode=host'",
    "'published=8080,target=80,proxy-protocol=v2', 'published=8080,target=80,protocol=tcp,mode=ingress,proxy-protocol=v2'",
    "'target=80,proxy-protocol=V1', 'target=80,protocol=tcp,mode=ingress,proxy-protocol=v1'",
    "'published=5353,target=53,protocol=udp,proxy-protocol=v2', 'published=5353,target=53,protocol=udp,mode=ingress,proxy-protocol=v2'",
  })
  void formatsBackToAParsableSpec(String spec, String formatted) {
    PortConfig port = PortSpec.parse(spec);
    assertThat(PortSpec.format(port)).isEqualTo(formatted);
    assertThat(PortSpec.parse(formatted)).isEqualTo(port);
  }
}
