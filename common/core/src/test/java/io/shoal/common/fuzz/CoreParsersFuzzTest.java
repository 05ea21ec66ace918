package io.shoal.common.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.placement.Constraint;
import io.shoal.common.registry.ImageReference;
import io.shoal.common.spec.HostnameTemplate;
import io.shoal.common.time.GoDuration;
import io.shoal.fuzzing.FuzzInputs;
import java.time.Duration;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parsers of user input in common/core, fuzzed (#16): any input either parses, and what it
 * parsed to reads back the same, or is refused with the parser's own exception and a message;
 * never another exception (an index out of bounds, a number format, a stack overflow).
 */
class CoreParsersFuzzTest {
  @Property(tries = 3000)
  void anImageReferenceParsesToWhatItPrintsOrIsRefusedNamingTheField(@ForAll("imageReferences") String input) {
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(input, "image");
    } catch (InvalidArgumentException refused) {
      assertThat(refused.getMessage()).startsWith("image: ");
      return;
    }
    assertThat(ImageReference.parse(parsed.toString(), "image")).isEqualTo(parsed);
  }

  @Property(tries = 3000)
  void aGoDurationParsesToWhatItFormatsOrIsRefused(@ForAll("goDurations") String input) {
    Duration parsed;
    try {
      parsed = GoDuration.parse(input);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(GoDuration.parse(GoDuration.format(parsed))).isEqualTo(parsed);
  }

  @Property(tries = 3000)
  void aConstraintParsesToWhatItPrintsOrIsRefusedQuotingIt(@ForAll("constraints") String input) {
    Constraint parsed;
    try {
      parsed = Constraint.parse(input);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).startsWith("constraint \"");
      return;
    }
    assertThat(Constraint.parse(parsed.toString())).isEqualTo(parsed);
  }

  @Property(tries = 3000)
  void aHostnameTemplateParsesAndRendersOrIsRefused(@ForAll("hostnameTemplates") String input) {
    HostnameTemplate parsed;
    try {
      parsed = HostnameTemplate.parse(input);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    assertThat(parsed.render(HostnameTemplate.Context.of("svc1", "web", java.util.Map.of("tier", "front"),
        "node1", "h1", "task1", 1))).isNotNull();
  }

  @Provide
  Arbitrary<String> imageReferences() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/image-references.txt");
  }

  @Provide
  Arbitrary<String> goDurations() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/go-durations.txt");
  }

  @Provide
  Arbitrary<String> constraints() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/constraints.txt");
  }

  @Provide
  Arbitrary<String> hostnameTemplates() {
    return FuzzInputs.aroundLines(getClass(), "fuzz/hostname-templates.txt");
  }
}
