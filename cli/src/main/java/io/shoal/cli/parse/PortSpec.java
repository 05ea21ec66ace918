package io.shoal.cli.parse;

import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.PublishMode;
import java.util.Locale;

/**
 * Parses Docker's {@code --publish} syntax into a {@link PortConfig}.
 *
 * <p>Short forms: {@code 80} (target only), {@code 8080:80}, {@code 8080:80/udp}. Long form: {@code
 * published=8080,target=80,protocol=udp,mode=host} (keys in any order, {@code target} required),
 * plus Shoal's {@code proxy-protocol=v1|v2|none}: the routing mesh sends the client's address to
 * the task in a PROXY protocol header, on udp (v2 only) in front of every datagram (Docker has
 * no such key; its mesh loses the source IP).
 * Protocol defaults to tcp and mode to ingress, as in Docker. Port ranges and a host IP ({@code
 * 127.0.0.1:8080:80}) are rejected with a message saying so, rather than misread.
 */
public final class PortSpec {
  private PortSpec() {}

  /**
   * Returns the port the spec describes.
   *
   * @throws IllegalArgumentException with a message that quotes the spec and says what is wrong
   */
  public static PortConfig parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty port spec");
    }
    return spec.contains("=") ? parseLong(spec) : parseShort(spec);
  }

  private static PortConfig parseShort(String spec) {
    String ports = spec;
    Protocol protocol = Protocol.PROTOCOL_TCP;
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      ports = spec.substring(0, slash);
      protocol = protocol(spec, spec.substring(slash + 1));
    }
    String[] parts = ports.split(":", -1);
    if (parts.length > 2) {
      throw bad(spec, "a host IP is not supported (use published:target, e.g. 8080:80)");
    }
    PortConfig.Builder port =
        PortConfig.newBuilder()
            .setProtocol(protocol)
            .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS);
    if (parts.length == 2) {
      port.setPublishedPort(port(spec, "published", parts[0]));
      port.setTargetPort(port(spec, "target", parts[1]));
    } else {
      port.setTargetPort(port(spec, "target", parts[0]));
    }
    return port.build();
  }

  private static PortConfig parseLong(String spec) {
    PortConfig.Builder port =
        PortConfig.newBuilder()
            .setProtocol(Protocol.PROTOCOL_TCP)
            .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS);
    boolean hasTarget = false;
    for (String field : spec.split(",", -1)) {
      int eq = field.indexOf('=');
      if (eq < 0) {
        throw bad(spec, "field \"" + field + "\" is not key=value");
      }
      String key = field.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = field.substring(eq + 1).trim();
      switch (key) {
        case "published" -> port.setPublishedPort(port(spec, "published", value));
        case "target" -> {
          port.setTargetPort(port(spec, "target", value));
          hasTarget = true;
        }
        case "protocol" -> port.setProtocol(protocol(spec, value));
        case "mode" -> port.setPublishMode(mode(spec, value));
        case "proxy-protocol" -> port.setProxyProtocol(proxyProtocol(spec, value));
        default ->
            throw bad(
                spec,
                "unknown key \""
                    + key
                    + "\" (use published, target, protocol, mode, proxy-protocol)");
      }
    }
    if (!hasTarget) {
      throw bad(spec, "missing target port (e.g. published=8080,target=80)");
    }
    return port.build();
  }

  private static int port(String spec, String which, String value) {
    if (value.isEmpty()) {
      throw bad(spec, "missing " + which + " port");
    }
    if (value.contains("-")) {
      throw bad(spec, "port ranges are not supported");
    }
    if (!value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw bad(spec, which + " port \"" + value + "\" is not a number");
    }
    long n = value.length() > 6 ? Long.MAX_VALUE : Long.parseLong(value);
    if (n < 1 || n > 65535) {
      throw bad(spec, which + " port " + value + " is out of range 1-65535");
    }
    return (int) n;
  }

  private static Protocol protocol(String spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "tcp" -> Protocol.PROTOCOL_TCP;
      case "udp" -> Protocol.PROTOCOL_UDP;
      default -> throw bad(spec, "unknown protocol \"" + value + "\" (use tcp or udp)");
    };
  }

  private static PublishMode mode(String spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "ingress" -> PublishMode.PUBLISH_MODE_INGRESS;
      case "host" -> PublishMode.PUBLISH_MODE_HOST;
      default -> throw bad(spec, "unknown mode \"" + value + "\" (use ingress or host)");
    };
  }

  private static ProxyProtocol proxyProtocol(String spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "v1" -> ProxyProtocol.PROXY_PROTOCOL_V1;
      case "v2" -> ProxyProtocol.PROXY_PROTOCOL_V2;
      case "none" -> ProxyProtocol.PROXY_PROTOCOL_NONE;
      default -> throw bad(spec, "unknown proxy-protocol \"" + value + "\" (use v1, v2 or none)");
    };
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException("bad port spec \"" + spec + "\": " + why);
  }

  /**
   * Writes a port back in the syntax {@link #parse} reads: the short form for ingress ports ({@code
   * 8080:80/tcp}, {@code 80/tcp}), the long form when the mode is host or a PROXY protocol header
   * is sent.
   */
  public static String format(PortConfig port) {
    String protocol = protocolName(port.getProtocol());
    String proxy = proxyProtocolName(port.getProxyProtocol());
    if (proxy != null) {
      return (port.getPublishedPort() != 0 ? "published=" + port.getPublishedPort() + "," : "")
          + "target="
          + port.getTargetPort()
          + ",protocol="
          + protocol
          + ",mode="
          + modeName(port.getPublishMode())
          + ",proxy-protocol="
          + proxy;
    }
    if (port.getPublishMode() == PublishMode.PUBLISH_MODE_HOST) {
      StringBuilder s = new StringBuilder();
      if (port.getPublishedPort() != 0) {
        s.append("published=").append(port.getPublishedPort()).append(',');
      }
      return s.append("target=")
          .append(port.getTargetPort())
          .append(",protocol=")
          .append(protocol)
          .append(",mode=host")
          .toString();
    }
    return (port.getPublishedPort() != 0 ? port.getPublishedPort() + ":" : "")
        + port.getTargetPort()
        + "/"
        + protocol;
  }

  /** {@code tcp} or {@code udp} (unspecified reads as tcp, the server's default too). */
  public static String protocolName(Protocol protocol) {
    return protocol == Protocol.PROTOCOL_UDP ? "udp" : "tcp";
  }

  /** {@code v1} or {@code v2}, or null when no PROXY protocol header is sent. */
  public static String proxyProtocolName(ProxyProtocol proxy) {
    return switch (proxy) {
      case PROXY_PROTOCOL_V1 -> "v1";
      case PROXY_PROTOCOL_V2 -> "v2";
      default -> null;
    };
  }

  /** {@code ingress} or {@code host} (unspecified reads as ingress). */
  public static String modeName(PublishMode mode) {
    return mode == PublishMode.PUBLISH_MODE_HOST ? "host" : "ingress";
  }
}
