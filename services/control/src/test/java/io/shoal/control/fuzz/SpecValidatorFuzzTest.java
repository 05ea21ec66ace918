package io.shoal.control.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.control.SpecValidator;
import io.shoal.fuzzing.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * The spec validator, fuzzed (#16): any mutation of a valid spec is either normalized (and
 * normalizing it again changes nothing) or refused with INVALID_ARGUMENT naming a field; never
 * another exception, which would reach the caller as UNKNOWN.
 */
class SpecValidatorFuzzTest {
  @Test
  void aMutatedSpecIsNormalizedOnceForAllOrRefusedNamingAField() {
    assertThat(ServiceSpecSeeds.all()).allSatisfy(seed -> assertThat(SpecValidator.normalize(seed)).isNotNull());

    Fuzz.checkMessages(ServiceSpecSeeds.all(), 20_000, 4, spec -> {
      ServiceSpec normalized;
      try {
        normalized = SpecValidator.normalize(spec);
      } catch (InvalidArgumentException refused) {
        // A field of the API: a message's name, then its path (a map's key in brackets may hold anything).
        assertThat(refused.field()).matches("(?s)[A-Z][A-Za-z]*([.\\[].*)?");
        assertThat(refused.reason()).isNotBlank();
        return;
      }
      assertThat(SpecValidator.normalize(normalized)).isEqualTo(normalized);
    });
  }
}
