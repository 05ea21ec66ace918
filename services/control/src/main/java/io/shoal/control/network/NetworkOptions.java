package io.shoal.control.network;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** Control's flags for network subnets (a picocli mixin of ControlMain). */
public final class NetworkOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--default-address-pool", paramLabel = "CIDR", converter = CidrConverter.class,
      defaultValue = "10.0.0.0/8",
      description = "Where networks created without --subnet get one (default: ${DEFAULT-VALUE}, as Swarm).")
  Cidr pool;

  @Option(names = "--default-address-pool-size", paramLabel = "LENGTH", defaultValue = "24",
      description = "Prefix length of each subnet carved from the pool (default: ${DEFAULT-VALUE}).")
  int poolSize;

  @Option(names = "--reserved-subnet", paramLabel = "CIDR", converter = CidrConverter.class,
      description = "A range no network may overlap, e.g. the hosts' subnet; repeatable. Given, it"
          + " replaces the default, Docker's bridge 172.17.0.0/16 (pass that too to keep it).")
  List<Cidr> reserved = new ArrayList<>(NetworkConfig.DEFAULT.reserved());

  /** The parsed flags; a pool size outside the pool is a usage error. */
  public NetworkConfig config() {
    try {
      return new NetworkConfig(pool, poolSize, reserved);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--default-address-pool: " + e.getMessage());
    }
  }

  static final class CidrConverter implements ITypeConverter<Cidr> {
    @Override
    public Cidr convert(String value) {
      try {
        return Cidr.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
