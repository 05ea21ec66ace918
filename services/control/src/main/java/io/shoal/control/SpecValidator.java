package io.shoal.control;

import io.shoal.control.limits.SpecLimits;
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
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a ServiceSpec at the edge, before anything is stored, and fills in Swarm's defaults
 * (replicated mode with one replica, TCP, ingress). Messages name the spec field, as SwarmKit's
 * controlapi does.
 */
public final class SpecValidator {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final Pattern ENV_KEY = Pattern.compile("[^=\\s][^=]*");

  private SpecValidator() {}

  /**
   * Returns the spec with defaults filled in, or throws naming the first bad field. Lengths and
   * counts are checked before any pattern, and the spec as a whole last, so the message names
   * the field that is too long when there is one.
   */
  public static ServiceSpec normalize(ServiceSpec spec) {
    ServiceSpec.Builder b = spec.toBuilder();
    String name = spec.getName();
    if (name.isEmpty()) {
      throw new InvalidArgumentException("ServiceSpec.name", "a service name must be provided (--name)");
    }
    SpecLimits.length("ServiceSpec.name", name, SpecLimits.MAX_NAME);
    if (!NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("ServiceSpec.name",
          "\"" + name + "\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
    }
    SpecLimits.labels("ServiceSpec.labels", spec.getLabelsMap());
    if (!spec.hasContainer() || spec.getContainer().getImage().isBlank()) {
      throw new InvalidArgumentException("ContainerSpec.image", "image reference must be provided");
    }
    b.setContainer(container(spec.getContainer()));
    if (spec.getModeCase() == ServiceSpec.ModeCase.MODE_NOT_SET) {
      b.setReplicated(ReplicatedService.newBuilder().setReplicas(1));
    } else if (spec.hasReplicated()) {
      SpecLimits.unsigned("ServiceSpec.replicated.replicas", spec.getReplicated().getReplicas(),
          SpecLimits.MAX_REPLICAS);
    }
    b.setEndpoint(endpoint(spec.getEndpoint()));
    DeployValidator.check(spec);
    ServiceSpec normalized = b.build();
    size(normalized);
    return normalized;
  }

  /**
   * The spec as a whole, and its copies in the tasks: every task stores the full spec, so a
   * service's tasks hold replicas times its size.
   */
  private static void size(ServiceSpec spec) {
    int bytes = spec.getSerializedSize();
    SpecLimits.encodedSize("ServiceSpec", bytes, SpecLimits.MAX_SPEC_BYTES,
        "shrink env, args or labels");
    if (spec.hasReplicated()
        && spec.getReplicated().getReplicas() * bytes > SpecLimits.MAX_SPEC_BYTES_IN_TASKS) {
      throw new InvalidArgumentException("ServiceSpec.replicated.replicas",
          spec.getReplicated().getReplicas() + " replicas of a " + bytes + "-byte spec are "
              + spec.getReplicated().getReplicas() * bytes + " bytes of task specs; the limit is "
              + SpecLimits.MAX_SPEC_BYTES_IN_TASKS + " (shrink the spec or lower replicas, to at most "
              + SpecLimits.MAX_SPEC_BYTES_IN_TASKS / bytes + " at this size)");
    }
  }

  private static ContainerSpec container(ContainerSpec c) {
    String image = c.getImage();
    SpecLimits.length("ContainerSpec.image", image, SpecLimits.MAX_IMAGE);
    if (image.chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidArgumentException("ContainerSpec.image",
          "invalid reference \"" + image + "\": must not contain spaces");
    }
    SpecLimits.count("ContainerSpec.env", c.getEnvCount(), SpecLimits.MAX_ENV);
    for (int i = 0; i < c.getEnvCount(); i++) {
      String entry = c.getEnv(i);
      SpecLimits.length("ContainerSpec.env[" + i + "]", entry, SpecLimits.MAX_ENV_ENTRY);
      int eq = entry.indexOf('=');
      String key = eq < 0 ? entry : entry.substring(0, eq);
      if (!ENV_KEY.matcher(key).matches()) {
        throw new InvalidArgumentException("ContainerSpec.env[" + i + "]",
            "\"" + entry + "\" must be KEY=VALUE with a non-empty KEY");
      }
    }
    SpecLimits.count("ContainerSpec.args", c.getArgsCount(), SpecLimits.MAX_ARGS);
    for (int i = 0; i < c.getArgsCount(); i++) {
      SpecLimits.length("ContainerSpec.args[" + i + "]", c.getArgs(i), SpecLimits.MAX_ARG);
    }
    SpecLimits.length("ContainerSpec.workdir", c.getWorkdir(), SpecLimits.MAX_WORKDIR);
    SpecLimits.length("ContainerSpec.user", c.getUser(), SpecLimits.MAX_USER);
    SpecLimits.duration("ContainerSpec.stop_grace_period", c.getStopGracePeriod());
    ContainerOptionsValidator.check(c);
    if (c.hasHealthcheck()) {
      HealthcheckValidator.check(c.getHealthcheck());
    }
    return c;
  }

  private static EndpointSpec endpoint(EndpointSpec endpoint) {
    if (endpoint.getLoadBalancing() == LoadBalancing.UNRECOGNIZED) {
      throw new InvalidArgumentException("EndpointSpec.load_balancing",
          "unknown load balancing " + endpoint.getLoadBalancingValue()
              + " (use round-robin or least-conn)");
    }
    if (endpoint.getMode() == EndpointMode.UNRECOGNIZED) {
      throw new InvalidArgumentException("EndpointSpec.mode",
          "unknown endpoint mode " + endpoint.getModeValue() + " (use vip or dnsrr)");
    }
    EndpointSpec.Builder b = EndpointSpec.newBuilder().setLoadBalancing(endpoint.getLoadBalancing())
        .setMode(endpoint.getMode());
    SpecLimits.count("EndpointSpec.ports", endpoint.getPortsCount(), SpecLimits.MAX_PORTS);
    Set<String> published = new HashSet<>();
    for (int i = 0; i < endpoint.getPortsCount(); i++) {
      PortConfig p = endpoint.getPorts(i);
      String field = "EndpointSpec.ports[" + i + "]";
      if (p.getProtocol() == Protocol.UNRECOGNIZED || p.getPublishMode() == PublishMode.UNRECOGNIZED) {
        throw new InvalidArgumentException(field, "unknown protocol or publish mode");
      }
      SpecLimits.length(field + ".name", p.getName(), SpecLimits.MAX_PORT_NAME);
      // uint32: Java reads 2^31 and above as negative.
      if (p.getTargetPort() < 1 || p.getTargetPort() > 65535) {
        throw new InvalidArgumentException(field + ".target_port",
            "target port " + Integer.toUnsignedString(p.getTargetPort()) + " is outside 1-65535");
      }
      if (Integer.compareUnsigned(p.getPublishedPort(), 65535) > 0) {
        throw new InvalidArgumentException(field + ".published_port",
            "published port " + Integer.toUnsignedString(p.getPublishedPort()) + " is outside 1-65535");
      }
      PortConfig.Builder port = p.toBuilder();
      if (p.getProtocol() == Protocol.PROTOCOL_UNSPECIFIED) {
        port.setProtocol(Protocol.PROTOCOL_TCP);
      }
      if (p.getPublishMode() == PublishMode.PUBLISH_MODE_UNSPECIFIED) {
        port.setPublishMode(PublishMode.PUBLISH_MODE_INGRESS);
      }
      proxyProtocol(port, field);
      if (port.getPublishedPort() != 0
          && !published.add(port.getProtocol() + "/" + port.getPublishedPort())) {
        throw new InvalidArgumentException(field + ".published_port",
            "port " + port.getPublishedPort() + "/" + protocolName(port.getProtocol()) + " is published twice");
      }
      b.addPorts(port);
    }
    dnsrr(b);
    return b.build();
  }

  /**
   * A dnsrr service has no virtual IP, and the routing mesh balances an ingress port over a
   * service's tasks as a VIP does: Swarm refuses the two together, in these words. Host-mode
   * ports reach the task on its node, so they are fine.
   */
  private static void dnsrr(EndpointSpec.Builder endpoint) {
    if (endpoint.getMode() != EndpointMode.ENDPOINT_MODE_DNSRR) {
      return;
    }
    for (PortConfig p : endpoint.getPortsList()) {
      if (p.getPublishMode() == PublishMode.PUBLISH_MODE_INGRESS) {
        throw new InvalidArgumentException("EndpointSpec.mode",
            "port published with ingress mode can't be used with dnsrr mode (port "
                + Integer.toUnsignedString(p.getTargetPort()) + "/" + protocolName(p.getProtocol())
                + "; publish it with mode=host, or use --endpoint-mode vip)");
      }
    }
  }

  /**
   * The routing mesh writes the PROXY protocol header, so it needs an ingress port: a host-mode
   * port bypasses the mesh. On UDP only v2 exists (the mesh puts it in front of every datagram);
   * v1 is a text line for TCP streams.
   */
  private static void proxyProtocol(PortConfig.Builder port, String field) {
    ProxyProtocol proxy = port.getProxyProtocol();
    if (proxy == ProxyProtocol.UNRECOGNIZED) {
      throw new InvalidArgumentException(field + ".proxy_protocol",
          "unknown PROXY protocol version " + port.getProxyProtocolValue() + " (use v1 or v2)");
    }
    if (proxy != ProxyProtocol.PROXY_PROTOCOL_V1 && proxy != ProxyProtocol.PROXY_PROTOCOL_V2) {
      return;
    }
    if (port.getPublishMode() == PublishMode.PUBLISH_MODE_HOST) {
      throw new InvalidArgumentException(field + ".proxy_protocol",
          "the PROXY protocol header is sent by the routing mesh; port " + port.getTargetPort()
              + " is published in host mode, which bypasses it (use mode=ingress or drop proxy-protocol)");
    }
    if (port.getProtocol() == Protocol.PROTOCOL_UDP && proxy == ProxyProtocol.PROXY_PROTOCOL_V1) {
      throw new InvalidArgumentException(field + ".proxy_protocol",
          "PROXY protocol v1 has no udp form; port " + port.getTargetPort()
              + "/udp can carry v2, in front of every datagram (use proxy-protocol=v2)");
    }
  }

  static String protocolName(Protocol protocol) {
    return protocol == Protocol.PROTOCOL_UDP ? "udp" : "tcp";
  }
}
