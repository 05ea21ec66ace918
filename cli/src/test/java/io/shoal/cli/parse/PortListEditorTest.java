package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.PortConfig;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PortListEditorTest {

  static Stream<Arguments> edits() {
    return Stream.of(
        // current, --publish-add, --publish-rm, expected, unmatched removals
        Arguments.of("8080:80", "9090:90", "", "8080:80/tcp 9090:90/tcp", ""),
        Arguments.of("8080:80 9090:90", "", "8080", "9090:90/tcp", ""),
        Arguments.of("8080:80 9090:90", "", "8080:80", "9090:90/tcp", ""),
        Arguments.of("8080:80 9090:90", "", "published=9090,target=90", "8080:80/tcp", ""),
        // A bare number: a published port, or the target of a port published without one.
        Arguments.of("80 8080:81", "", "80", "8080:81/tcp", ""),
        // Protocol counts: 53 is tcp unless said otherwise.
        Arguments.of("53:53/udp 53:53", "", "53", "53:53/udp", ""),
        Arguments.of("53:53/udp 53:53", "", "53/udp", "53:53/tcp", ""),
        Arguments.of("8080:80", "", "7070", "8080:80/tcp", "7070/tcp"),
        // Removal first, then addition (Docker's order).
        Arguments.of("8080:80", "8080:80", "8080", "8080:80/tcp", ""),
        // Adding an existing published port moves it to the new target, in place.
        Arguments.of("8080:80 9090:90", "8080:81", "", "8080:81/tcp 9090:90/tcp", ""),
        // An identical port is not added twice.
        Arguments.of("8080:80", "8080:80/tcp", "", "8080:80/tcp", ""),
        Arguments.of("80", "80", "", "80/tcp", ""),
        Arguments.of("", "80 90", "", "80/tcp 90/tcp", ""));
  }

  @ParameterizedTest(name = "{0} +[{1}] -[{2}] → {3}")
  @MethodSource("edits")
  void editsLikeDocker(
      String current, String add, String remove, String expected, String unmatched) {
    PortListEditor.Result r = PortListEditor.edit(ports(current), ports(add), ports(remove));
    assertThat(r.ports().stream().map(PortSpec::format)).containsExactlyElementsOf(words(expected));
    assertThat(r.unmatchedRemovals().stream().map(PortSpec::format))
        .containsExactlyElementsOf(words(unmatched));
  }

  private static List<PortConfig> ports(String specs) {
    return words(specs).stream().map(PortSpec::parse).toList();
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" +"));
  }
}
