package io.shoal.control.network;

import io.shoal.api.v1.IpamConfig;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.control.limits.SpecLimits;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a NetworkSpec at the edge, before anything is read or stored, and fills in the default
 * driver. Messages name the field, as for a service's spec; lengths are checked before parsing.
 */
final class NetworkSpecValidator {
  static final String OVERLAY = "overlay";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  /** The longest CIDR text, IPv6 included (so an IPv6 subnet is named as such, not as too long). */
  private static final int MAX_CIDR = 43;
  /**
   * Why --attachable is refused: a node programs its networks for the tasks it was assigned (the
   * dispatcher's NetworkMap), so a container Docker started on its own has no address, peers or
   * names there.
   */
  static final String ATTACHABLE = "plain containers (docker run --network) cannot join Shoal networks,"
      + " only service tasks can; run the workload as a service instead (shoal service create --network NAME)";

  /**
   * A checked spec and its subnet, when one was given.
   *
   * @param spec the spec with defaults filled in
   * @param subnet the given subnet, parsed
   */
  record Checked(NetworkSpec spec, Optional<Cidr> subnet) {}

  private NetworkSpecValidator() {}

  static Checked check(NetworkSpec spec) {
    String name = spec.getName();
    if (name.isEmpty()) {
      throw new InvalidArgumentException("NetworkSpec.name", "a network name must be provided");
    }
    SpecLimits.length("NetworkSpec.name", name, SpecLimits.MAX_NAME);
    if (!NAME.matcher(name).matches()) {
      throw new InvalidArgumentException("NetworkSpec.name",
          "\"" + name + "\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
    }
    SpecLimits.labels("NetworkSpec.labels", spec.getLabelsMap());
    SpecLimits.length("NetworkSpec.driver", spec.getDriver(), SpecLimits.MAX_NAME);
    if (!spec.getDriver().isEmpty() && !spec.getDriver().equals(OVERLAY)) {
      throw new InvalidArgumentException("NetworkSpec.driver", "driver \"" + spec.getDriver()
          + "\" is not supported; Shoal's networks span the cluster, so the driver is overlay");
    }
    if (spec.getAttachable()) {
      throw new InvalidArgumentException("NetworkSpec.attachable", ATTACHABLE);
    }
    SpecLimits.encodedSize("NetworkSpec", spec.getSerializedSize(), NetworkLimits.MAX_SPEC_BYTES, "shrink the labels");
    Optional<Cidr> subnet = ipam(spec.getIpam());
    return new Checked(spec.toBuilder().setDriver(OVERLAY).build(), subnet);
  }

  /** The given subnet, with the gateway and ip range checked against it. */
  private static Optional<Cidr> ipam(IpamConfig ipam) {
    String field = "NetworkSpec.ipam.";
    if (ipam.getSubnet().isEmpty()) {
      if (!ipam.getGateway().isEmpty() || !ipam.getIpRange().isEmpty()) {
        throw new InvalidArgumentException(field + (ipam.getGateway().isEmpty() ? "ip_range" : "gateway"),
            "needs the subnet it lies in (--subnet)");
      }
      return Optional.empty();
    }
    Cidr subnet = cidr(field + "subnet", ipam.getSubnet());
    if (subnet.prefix() < NetworkLimits.MIN_PREFIX || subnet.prefix() > NetworkLimits.MAX_PREFIX) {
      throw new InvalidArgumentException(field + "subnet", subnet + " must be a /" + NetworkLimits.MIN_PREFIX
          + " to a /" + NetworkLimits.MAX_PREFIX + " (a /" + NetworkLimits.MAX_PREFIX + " holds 5 task addresses)");
    }
    if (!ipam.getGateway().isEmpty()) {
      SpecLimits.length(field + "gateway", ipam.getGateway(), MAX_CIDR);
      long gateway;
      try {
        gateway = Cidr.address(ipam.getGateway(), ipam.getGateway());
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException(field + "gateway", e.getMessage());
      }
      if (!subnet.contains(gateway) || gateway == subnet.base() || gateway == subnet.last()) {
        throw new InvalidArgumentException(field + "gateway", ipam.getGateway() + " is not a host address of "
            + subnet + " (" + Cidr.format(subnet.base() + 1) + "-" + Cidr.format(subnet.last() - 1) + ")");
      }
    }
    if (!ipam.getIpRange().isEmpty()) {
      Cidr range = cidr(field + "ip_range", ipam.getIpRange());
      if (!subnet.contains(range)) {
        throw new InvalidArgumentException(field + "ip_range", range + " does not lie inside the subnet " + subnet);
      }
    }
    return Optional.of(subnet);
  }

  private static Cidr cidr(String field, String text) {
    SpecLimits.length(field, text, MAX_CIDR);
    try {
      return Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(field, e.getMessage());
    }
  }

  /** What the network gets: the subnet, the gateway (the first host address unless given), the range. */
  static IpamConfig allocated(IpamConfig given, Cidr subnet) {
    return IpamConfig.newBuilder()
        .setSubnet(subnet.toString())
        .setGateway(Cidr.format(given.getGateway().isEmpty()
            ? subnet.base() + 1 : Cidr.address(given.getGateway(), given.getGateway())))
        .setIpRange(given.getIpRange())
        .build();
  }
}
