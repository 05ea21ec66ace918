package io.shoal.common.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.placement.Constraint;
import io.shoal.common.registry.ImageReference;
import io.shoal.common.spec.HostnameTemplate;
import io.shoal.common.time.GoDuration;
import io.shoal.fuzzing.Fuzz;
import io.shoal.fuzzing.FuzzInputs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The parsers of user input in common/core, fuzzed (#16): any input either parses, and what it
 * parsed to reads back the same, or is refused with the parser's own exception and a message;
 * never another exception (an index out of bounds, a number format, a stack overflow).
 */
class CoreParsersFuzzTest {
  @Test
  void anImageReferenceParsesToWhatItPrintsOrIsRefusedNamingTheField() {
    Fuzz.check(FuzzInputs.aroundLines(CoreParsersFuzzTest.class, "fuzz/image-references.txt"), Fuzz.DEFAULT_TRIES, input -> {
      ImageReference parsed;
      try {
        parsed = ImageReference.parse(input, "image");
      } catch (InvalidArgumentException refused) {
        assertThat(refused.getMessage()).startsWith("image: ");
        return;
      }
      assertThat(ImageReference.parse(parsed.toString(), "image")).isEqualTo(parsed);
    });
  }

  @Test
  void aGoDurationParsesToWhatItFormatsOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundLines(CoreParsersFuzzTest.class, "fuzz/go-durations.txt"), Fuzz.DEFAULT_TRIES, input -> {
      Duration parsed;
      try {
        parsed = GoDuration.parse(input);
      } catch (IllegalArgumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
        return;
      }
      assertThat(GoDuration.parse(GoDuration.format(parsed))).isEqualTo(parsed);
    });
  }

  @Test
  void aConstraintParsesToWhatItPrintsOrIsRefusedQuotingIt() {
    Fuzz.check(FuzzInputs.aroundLines(CoreParsersFuzzTest.class, "fuzz/constraints.txt"), Fuzz.DEFAULT_TRIES, input -> {
      Constraint parsed;
      try {
        parsed = Constraint.parse(input);
      } catch (IllegalArgumentException refused) {
        assertThat(refused.getMessage()).startsWith("constraint \"");
        return;
      }
      assertThat(Constraint.parse(parsed.toString())).isEqualTo(parsed);
    });
  }

  @Test
  void aHostnameTemplateParsesAndRendersOrIsRefused() {
    Fuzz.check(FuzzInputs.aroundLines(CoreParsersFuzzTest.class, "fuzz/hostname-templates.txt"), Fuzz.DEFAULT_TRIES, input -> {
      HostnameTemplate parsed;
      try {
        parsed = HostnameTemplate.parse(input);
      } catch (IllegalArgumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
        return;
      }
      assertThat(parsed.render(HostnameTemplate.Context.of("svc1", "web", java.util.Map.of("tier", "front"),
          "node1", "h1", "task1", 1))).isNotNull();
    });
  }
}
