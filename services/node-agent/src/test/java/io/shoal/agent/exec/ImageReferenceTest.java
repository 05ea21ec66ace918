package io.shoal.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String DIGEST = "sha256:cafee199e5444a05c7ab1bca13ed359a679319b432500207c41ebebe5279bc9a";

  @ParameterizedTest(name = "{0} → engine {1}, pull tag {2}")
  @CsvSource({
      // pinned: the engine runs and pulls by digest; the tag is dropped
      "127.0.0.1:5000/team/web:1@" + DIGEST + ", 127.0.0.1:5000/team/web@" + DIGEST + ", " + DIGEST,
      "127.0.0.1:5000/team/web@" + DIGEST + ",   127.0.0.1:5000/team/web@" + DIGEST + ", " + DIGEST,
      "localhost/web:2@" + DIGEST + ",            localhost/web@" + DIGEST + ",            " + DIGEST,
      // unpinned: the tag, latest when none
      "127.0.0.1:5000/team/web:1,                 127.0.0.1:5000/team/web:1,              1",
      "127.0.0.1:5000/team/web,                   127.0.0.1:5000/team/web:latest,         latest",
      "busybox,                                   busybox:latest,                         latest",
      "busybox:1.36,                              busybox:1.36,                           1.36",
      "registry.example.com:443/a/b/c:v1.2-rc,    registry.example.com:443/a/b/c:v1.2-rc, v1.2-rc",
  })
  void forEngine(String spec, String engine, String pullTag) {
    ImageReference ref = ImageReference.parse(spec);
    assertThat(ref.forEngine()).isEqualTo(engine);
    assertThat(ref.pullTag()).isEqualTo(pullTag);
    assertThat(ref.toString()).isEqualTo(spec);
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1:5000/team/web:1, 127.0.0.1:5000",
      "localhost/web,             localhost",
      "registry.example.com/a/b,  registry.example.com",
  })
  void registryHost(String spec, String host) {
    assertThat(ImageReference.parse(spec).registryHost()).contains(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"busybox:1", "library/busybox", "team/web:2"})
  void noRegistryHost(String spec) {
    assertThat(ImageReference.parse(spec).registryHost()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", ":1", "@" + DIGEST})
  void rejectsEmptyNames(String spec) {
    assertThatThrownBy(() -> ImageReference.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ContainerSpec: ");
  }
}
