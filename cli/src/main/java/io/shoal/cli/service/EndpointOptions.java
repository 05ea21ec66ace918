package io.shoal.cli.service;

import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.ServiceSpec;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The endpoint flags, the same on create and update. {@code --endpoint-mode} is Docker's: how
 * other tasks reach the service by name (a virtual IP, or DNS round robin over its tasks).
 * {@code --endpoint-lb}: how the routing mesh picks a task for each new connection or UDP flow.
 * Docker has no such flag (its mesh is always round robin through IPVS); the name follows
 * Docker's {@code --endpoint-mode}.
 */
public final class EndpointOptions {
  @Option(
      names = "--endpoint-mode",
      paramLabel = "MODE",
      converter = ModeConverter.class,
      description = "Endpoint mode (vip or dnsrr) (default \"vip\")")
  EndpointMode mode;

  @Option(
      names = "--endpoint-lb",
      paramLabel = "POLICY",
      converter = PolicyConverter.class,
      description =
          "Routing mesh load balancing: \"round-robin\" or \"least-conn\" (fewest open"
              + " connections on the node's proxy) (default \"round-robin\")")
  LoadBalancing loadBalancing;

  /** Sets the policy when the flag is given; leaves the spec's as it is otherwise. */
  void applyTo(ServiceSpec.Builder spec) {
    if (loadBalancing != null) {
      spec.getEndpointBuilder().setLoadBalancing(loadBalancing);
    }
    if (mode != null) {
      spec.getEndpointBuilder().setMode(mode);
    }
  }

  /** {@code vip} or {@code dnsrr}, as Docker prints them; unset reads as vip. */
  static String name(EndpointMode mode) {
    return switch (mode) {
      case ENDPOINT_MODE_DNSRR -> "dnsrr";
      case ENDPOINT_MODE_VIP, ENDPOINT_MODE_UNSPECIFIED -> "vip";
      case UNRECOGNIZED -> "unknown";
    };
  }

  /** {@code round-robin} or {@code least-conn}, as {@code service inspect} prints them. */
  static String name(LoadBalancing policy) {
    return policy == LoadBalancing.LOAD_BALANCING_LEAST_CONN ? "least-conn" : "round-robin";
  }

  static final class ModeConverter implements ITypeConverter<EndpointMode> {
    @Override
    public EndpointMode convert(String value) {
      // Docker takes the mode as given (lower case); so does this.
      return switch (value) {
        case "vip" -> EndpointMode.ENDPOINT_MODE_VIP;
        case "dnsrr" -> EndpointMode.ENDPOINT_MODE_DNSRR;
        default -> throw new TypeConversionException("unknown endpoint mode \"" + value + "\" (use vip or dnsrr)");
      };
    }
  }

  static final class PolicyConverter implements ITypeConverter<LoadBalancing> {
    @Override
    public LoadBalancing convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "round-robin" -> LoadBalancing.LOAD_BALANCING_ROUND_ROBIN;
        case "least-conn" -> LoadBalancing.LOAD_BALANCING_LEAST_CONN;
        default ->
            throw new TypeConversionException(
                "unknown load balancing \"" + value + "\" (use round-robin or least-conn)");
      };
    }
  }
}
