package io.shoal.cli.service;

import io.shoal.cli.fuzz.CliParsersFuzzTestSupport;
import io.shoal.fuzzing.Fuzz;
import io.shoal.fuzzing.FuzzInputs;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** {@code --placement-pref}, fuzzed (#16): spread=KEY or picocli's one-line refusal, never another exception. */
class PlacementPreferenceFuzzTest {
  @Test
  void aPreferenceConvertsOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundLines(PlacementPreferenceFuzzTest.class, "fuzz/placement-preferences.txt"), 2000, input -> {
      CliParsersFuzzTestSupport.refusedWithAMessage(() -> new PlacementOptions.PreferenceConverter().convert(input),
          TypeConversionException.class);
    });
  }
}
