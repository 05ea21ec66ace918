package io.shoal.cli.service;

import io.shoal.cli.fuzz.CliParsersFuzzTestSupport;
import io.shoal.fuzzing.FuzzInputs;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine.TypeConversionException;

/** {@code --placement-pref}, fuzzed (#16): spread=KEY or picocli's one-line refusal, never another exception. */
class PlacementPreferenceFuzzTest {
  @Property(tries = 2000)
  void aPreferenceConvertsOrIsRefused(@ForAll("preferences") String input) {
    CliParsersFuzzTestSupport.refusedWithAMessage(() -> new PlacementOptions.PreferenceConverter().convert(input),
        TypeConversionException.class);
  }

  @Provide
  Arbitrary<String> preferences() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/placement-preferences.txt");
  }
}
