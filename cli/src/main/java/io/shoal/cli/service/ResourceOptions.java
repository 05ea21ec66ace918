package io.shoal.cli.service;

import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.parse.ByteSize;
import java.math.BigDecimal;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --reserve-cpu/--reserve-memory} (what a node must have free to take a task) and {@code
 * --limit-cpu/--limit-memory} (what the container may use), the same on create and update.
 */
public final class ResourceOptions {
  @Option(
      names = "--reserve-cpu",
      paramLabel = "CPUS",
      converter = CpuConverter.class,
      description = "Reserve CPUs (e.g. 0.5)")
  Long reserveCpu;

  @Option(
      names = "--reserve-memory",
      paramLabel = "BYTES",
      converter = MemoryConverter.class,
      description = "Reserve Memory (e.g. 512m, 1g)")
  Long reserveMemory;

  @Option(
      names = "--limit-cpu",
      paramLabel = "CPUS",
      converter = CpuConverter.class,
      description = "Limit CPUs (e.g. 1.5)")
  Long limitCpu;

  @Option(
      names = "--limit-memory",
      paramLabel = "BYTES",
      converter = MemoryConverter.class,
      description = "Limit Memory (e.g. 256m)")
  Long limitMemory;

  void applyTo(ServiceSpec.Builder spec) {
    if (reserveCpu != null) {
      spec.getResourcesBuilder().getReservationsBuilder().setNanoCpus(reserveCpu);
    }
    if (reserveMemory != null) {
      spec.getResourcesBuilder().getReservationsBuilder().setMemoryBytes(reserveMemory);
    }
    if (limitCpu != null) {
      spec.getResourcesBuilder().getLimitsBuilder().setNanoCpus(limitCpu);
    }
    if (limitMemory != null) {
      spec.getResourcesBuilder().getLimitsBuilder().setMemoryBytes(limitMemory);
    }
  }

  /** Decimal CPUs to nano-CPUs, as Docker's NanoCPUs flag. */
  static final class CpuConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        BigDecimal cpus = new BigDecimal(value);
        if (cpus.signum() < 0) {
          throw new NumberFormatException();
        }
        return cpus.movePointRight(9).longValueExact();
      } catch (NumberFormatException | ArithmeticException e) {
        throw new TypeConversionException("\"" + value + "\" is not a number of CPUs (e.g. 0.5, 2)");
      }
    }
  }

  /** Docker's RAMInBytes: a number with an optional binary unit b, k, m, g, t (kb, mib, … too). */
  static final class MemoryConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return ByteSize.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
