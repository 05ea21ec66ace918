package io.shoal.cli.service;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --mode replicated|global}. */
enum ServiceMode {
  REPLICATED,
  GLOBAL;

  static final class Converter implements ITypeConverter<ServiceMode> {
    @Override
    public ServiceMode convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "replicated" -> REPLICATED;
        case "global" -> GLOBAL;
        default ->
            throw new TypeConversionException(
                "unknown mode \"" + value + "\" (use replicated or global)");
      };
    }
  }
}
