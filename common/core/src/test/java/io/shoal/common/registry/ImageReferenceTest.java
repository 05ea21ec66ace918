package io.shoal.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.common.errors.InvalidArgumentException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String D = "sha256:" + "a".repeat(64);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // reference                                  | registry          | path                | tag      | digest | familiar
      "busybox                                      | docker.io         | library/busybox     | latest   | -      | busybox:latest",
      "busybox:1.36                                 | docker.io         | library/busybox     | 1.36     | -      | busybox:1.36",
      "library/busybox                              | docker.io         | library/busybox     | latest   | -      | busybox:latest",
      "docker.io/library/busybox:1                  | docker.io         | library/busybox     | 1        | -      | busybox:1",
      "index.docker.io/library/busybox              | docker.io         | library/busybox     | latest   | -      | busybox:latest",
      "user/app:v2                                  | docker.io         | user/app            | v2       | -      | user/app:v2",
      "127.0.0.1:5000/demo/web:1                    | 127.0.0.1:5000    | demo/web            | 1        | -      | 127.0.0.1:5000/demo/web:1",
      "localhost/app                                | localhost         | app                 | latest   | -      | localhost/app:latest",
      "localhost:5000/app:dev                       | localhost:5000    | app                 | dev      | -      | localhost:5000/app:dev",
      "registry.example.com/a/b/c:tag_1.0-x         | registry.example.com | a/b/c            | tag_1.0-x | -     | registry.example.com/a/b/c:tag_1.0-x",
      "Registry.Example.com/a                       | Registry.Example.com | a                | latest   | -      | Registry.Example.com/a:latest",
      "a__b/c--d.e_f                                | docker.io         | a__b/c--d.e_f       | latest   | -      | a__b/c--d.e_f:latest",
      "[::1]:5000/app                               | [::1]:5000        | app                 | latest   | -      | [::1]:5000/app:latest",
      "[2001:db8::1]/team/app:2                     | [2001:db8::1]     | team/app            | 2        | -      | [2001:db8::1]/team/app:2",
      "docker.io/busybox                            | docker.io         | library/busybox     | latest   | -      | busybox:latest",
      // Found by CoreParsersFuzzTest: "a/b" would read back as another repository than library/a/b.
      "library/team/app                             | docker.io         | library/team/app    | latest   | -      | library/team/app:latest",
      "docker.io/example.com/app                    | docker.io         | example.com/app     | latest   | -      | docker.io/example.com/app:latest",
      "busybox:Latest                               | docker.io         | library/busybox     | Latest   | -      | busybox:Latest",
      "busybox:_private.1-a                         | docker.io         | library/busybox     | _private.1-a | -  | busybox:_private.1-a",
      "UPPER/app                                    | UPPER             | app                 | latest   | -      | UPPER/app:latest",
      "LOCALHOST/app                                | LOCALHOST         | app                 | latest   | -      | LOCALHOST/app:latest",
      "registry-1.docker.io/library/busybox         | registry-1.docker.io | library/busybox  | latest   | -      | registry-1.docker.io/library/busybox:latest",
      "a/b/c/d/e/f                                  | docker.io         | a/b/c/d/e/f         | latest   | -      | a/b/c/d/e/f:latest",
      "my-registry.local:443/x/y:z                  | my-registry.local:443 | x/y             | z        | -      | my-registry.local:443/x/y:z",
      "a0-b1/c__d                                   | docker.io         | a0-b1/c__d          | latest   | -      | a0-b1/c__d:latest",
      "localhost:5000/a:t@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | localhost:5000 | a | t | sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | localhost:5000/a:t@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "busybox@sha512:" + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 | docker.io | library/busybox | - | sha512:00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 | busybox@sha512:00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:tag | docker.io | library/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | tag | - | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:tag",
  })
  void parsesValidReferences(String ref, String registry, String path, String tag, String digest, String familiar) {
    ImageReference parsed = ImageReference.parse(ref, "image");
    assertThat(parsed.registry()).isEqualTo(registry);
    assertThat(parsed.path()).isEqualTo(path);
    assertThat(parsed.tag()).isEqualTo(tag == null ? "" : tag);
    assertThat(parsed.digest()).isEqualTo(digest == null ? "" : digest);
    assertThat(parsed.familiarString()).isEqualTo(familiar);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"busybox@", "busybox:1@", "127.0.0.1:5000/demo/web"})
  void digestKeepsTagAndHasNoImplicitLatest(String base) {
    String ref = base.endsWith("@") ? base + D : base + "@" + D;
    ImageReference parsed = ImageReference.parse(ref, "image");
    assertThat(parsed.digest()).isEqualTo(D);
    assertThat(parsed.tag()).isEqualTo(base.equals("busybox:1@") ? "1" : "");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      "",
      "Busybox",
      "busybox:",
      ":tag",
      "busybox@sha256:abc",
      "busybox@sha256:g000000000000000000000000000000000000000000000000000000000000000",
      "busybox@md5",
      "-busybox",
      "busybox-",
      "bus..box",
      "a//b",
      "a/",
      "/a",
      "busybox:-tag",
      "busybox:tag with space",
      "localhost:70000/app",
      "localhost:port/app",
      "app:t12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890",
  })
  void rejectsMalformedReferences(String ref) {
    assertRejected(ref);
  }

  /** References Docker's reference package (distribution/reference + go-digest) also rejects. */
  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {
      " busybox",
      "busybox ",
      "a___b",
      "a-.b",
      "a.-b",
      "a_-b",
      "-/app",
      "-host.com/app",
      "host-.com/app",
      "[::1/app",
      "busybox:1:2",
      "busybox@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "busybox@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "busybox@md5:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "busybox@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "localhost:/app",
      "docker.io/",
      "café/app",
      "busybox:tag/x",
  })
  void rejectsWhatDockerRejects(String ref) {
    assertRejected(ref);
  }

  /** Deliberately stricter than Docker: its grammar takes any digits as a port. */
  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"localhost:0/app", "localhost:65536/app", "registry.example.com:99999/app",
      "localhost:99999999999999999999/app"})
  void rejectsPortsNoRegistryCanListenOn(String ref) {
    assertThatThrownBy(() -> ImageReference.parse(ref, "ContainerSpec.image"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("invalid registry port");
  }

  /**
   * Deliberately stricter than Docker: its grammar reads {@code exa_mple.com/app} as two path
   * components on Docker Hub's default domain, yet names {@code exa_mple.com} the registry; a
   * first component with a '.' is a host here, and a host has no '_'.
   */
  @org.junit.jupiter.api.Test
  void rejectsAHostWithAnUnderscore() {
    assertThatThrownBy(() -> ImageReference.parse("exa_mple.com/app", "ContainerSpec.image"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("invalid registry host 'exa_mple.com'");
  }

  @org.junit.jupiter.api.Test
  void sha384DigestsAreAccepted() {
    String digest = "sha384:" + "b".repeat(96);
    assertThat(ImageReference.parse("busybox@" + digest, "image").digest()).isEqualTo(digest);
  }

  @org.junit.jupiter.api.Test
  void errorsNameTheFieldTheReferenceAndTheReason() {
    assertThatThrownBy(() -> ImageReference.parse("Busybox:1", "ContainerSpec.image"))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.field()).isEqualTo("ContainerSpec.image");
          assertThat(e.getMessage())
              .isEqualTo("ContainerSpec.image: invalid reference \"Busybox:1\": repository name must be lowercase");
        });
    assertThatThrownBy(() -> ImageReference.parse("busybox@md5:" + "a".repeat(32), "image"))
        .hasMessageContaining("unsupported digest algorithm 'md5'");
  }

  /** Whatever the input, parse either succeeds or says INVALID_ARGUMENT (never an internal error). */
  @org.junit.jupiter.api.Test
  void anyInputIsParsedOrRejectedAsInvalidArgument() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "aZ09._-:/@[]sha256+ \u00e9";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder ref = new StringBuilder();
      int length = 1 + random.nextInt(40);
      for (int j = 0; j < length; j++) {
        ref.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        ImageReference parsed = ImageReference.parse(ref.toString(), "image");
        assertThat(ImageReference.parse(parsed.familiarString(), "image")).isEqualTo(parsed);
      } catch (InvalidArgumentException expected) {
        assertThat(expected.field()).isEqualTo("image");
      }
    }
  }

  private static void assertRejected(String ref) {
    assertThatThrownBy(() -> ImageReference.parse(ref, "ContainerSpec.image"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageStartingWith("ContainerSpec.image: ");
  }

  @org.junit.jupiter.api.Test
  void rejectsNamesLongerThan255() {
    String ref = "a".repeat(250) + "/bbbbbbbbbb";
    assertThatThrownBy(() -> ImageReference.parse(ref, "image"))
        .hasMessageContaining("longer than 255");
  }

  /**
   * ~2 KB references once overflowed the stack inside the regex (UNKNOWN over gRPC, taken as
   * "registry unreachable"). Parsed on a small stack, as no caller's thread promises a big one.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kilobyteReferences")
  void kilobyteReferencesAreInvalidArgumentNamingTheReference(String what, String ref) throws Exception {
    assertThat(ref.length()).isGreaterThan(2000);

    Throwable thrown = onSmallStack(() -> ImageReference.parse(ref, "ContainerSpec.image"));

    assertThat(thrown).isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
      assertThat(e.field()).isEqualTo("ContainerSpec.image");
      assertThat(e.getMessage())
          .startsWith("ContainerSpec.image: invalid reference \"" + ref.substring(0, 64))
          .contains("(" + ref.length() + " characters)")
          .contains("longer than " + ImageReference.MAX_REFERENCE_LENGTH + " characters")
          .hasSizeLessThan(300);
    });
  }

  /** The longest reference Docker takes: a 255-character name, a 128-character tag, a sha512 digest. */
  @org.junit.jupiter.api.Test
  void aReferenceAtEveryLimitParsesOnASmallStack() throws Exception {
    String name = "h" + ".a".repeat(40) + ":5000/" + "a-".repeat(83) + "aa";
    String tag = "t".repeat(128);
    String digest = "sha512:" + "0".repeat(128);
    String ref = name + ":" + tag + "@" + digest;
    assertThat(name).hasSize(ImageReference.MAX_NAME_LENGTH);
    assertThat(ref).hasSize(ImageReference.MAX_REFERENCE_LENGTH);
    ImageReference[] parsed = new ImageReference[1];

    Throwable thrown = onSmallStack(() -> parsed[0] = ImageReference.parse(ref, "image"));

    assertThat(thrown).isNull();
    assertThat(parsed[0].familiarString()).isEqualTo(ref);
  }

  @org.junit.jupiter.api.Test
  void aNameOneCharacterTooLongIsRefusedBeforeAnyPattern() {
    String ref = "h" + ".a".repeat(40) + ":5000/" + "a-".repeat(83) + "aaa";
    assertThatThrownBy(() -> ImageReference.parse(ref, "image"))
        .hasMessageContaining("repository name must not be longer than 255 characters");
  }

  static Stream<Arguments> kilobyteReferences() {
    return Stream.of(
        Arguments.of("'a.' repeated in the host", "a.".repeat(1000) + "a/app"),
        Arguments.of("'a-' repeated in a path component", "app/" + "a-".repeat(1000) + "a"),
        Arguments.of("'a.' repeated in the digest algorithm", "busybox@" + "a.".repeat(1000) + "a:" + "0".repeat(64)));
  }

  /** Runs {@code body} on a thread with a 256 KiB stack; returns what it threw, or null. */
  private static Throwable onSmallStack(Runnable body) throws InterruptedException {
    Throwable[] thrown = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        body.run();
      } catch (Throwable e) {
        thrown[0] = e;
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    return thrown[0];
  }

  @org.junit.jupiter.api.Test
  void docker_hub_api_lives_on_registry_1() {
    assertThat(ImageReference.parse("busybox", "image").apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("127.0.0.1:5000/a", "image").apiHost()).isEqualTo("127.0.0.1:5000");
  }

  private static final String PINNED = "sha256:cafee199e5444a05c7ab1bca13ed359a679319b432500207c41ebebe5279bc9a";

  /** What the agent hands the engine: pinned runs and pulls by digest (the tag dropped), else the tag. */
  @ParameterizedTest(name = "{0} → engine {1}, pull tag {2}")
  @CsvSource({
      "127.0.0.1:5000/team/web:1@" + PINNED + ", 127.0.0.1:5000/team/web@" + PINNED + ", " + PINNED,
      "127.0.0.1:5000/team/web@" + PINNED + ",   127.0.0.1:5000/team/web@" + PINNED + ", " + PINNED,
      "localhost/web:2@" + PINNED + ",            localhost/web@" + PINNED + ",            " + PINNED,
      "127.0.0.1:5000/team/web:1,                 127.0.0.1:5000/team/web:1,              1",
      "127.0.0.1:5000/team/web,                   127.0.0.1:5000/team/web:latest,         latest",
      "busybox,                                   busybox:latest,                         latest",
      "docker.io/library/busybox:1.36,            busybox:1.36,                           1.36",
      "registry.example.com:443/a/b/c:v1.2-rc,    registry.example.com:443/a/b/c:v1.2-rc, v1.2-rc",
  })
  void forTheEngine(String spec, String engine, String pullTag) {
    ImageReference ref = ImageReference.parse(spec, "image");
    assertThat(ref.forEngine()).isEqualTo(engine);
    assertThat(ref.pullTag()).isEqualTo(pullTag);
  }
}
