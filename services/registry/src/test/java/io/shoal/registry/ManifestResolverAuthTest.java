package io.shoal.registry;

import io.shoal.common.registry.ImageReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.RegistryAuth;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bearer-token flow and 401 answers, against {@link FakeTokenRegistry}. */
class ManifestResolverAuthTest {
  private final FakeTokenRegistry registry = new FakeTokenRegistry("alice", "wonder-land");
  private final ManifestResolver resolver = new ManifestResolver(Set.of(), Duration.ofSeconds(5));

  @AfterEach
  void stop() {
    registry.close();
  }

  private ImageReference ref(String repository) {
    return ImageReference.parse(registry.address() + "/" + repository + ":1", "image");
  }

  private RegistryAuth auth(String password) {
    return RegistryAuth.newBuilder().setServerAddress(registry.address())
        .setUsername("alice").setPassword(password).build();
  }

  @Test
  void bearerChallengeFetchesATokenWithTheCredentialsAndRetries() throws Exception {
    String digest = resolver.resolveDigest(ref("team/app"), Optional.of(auth("wonder-land")));

    assertThat(digest).isEqualTo(FakeTokenRegistry.DIGEST);
    assertThat(registry.tokenQueries).singleElement().asString()
        .contains("scope=repository%3Ateam%2Fapp%3Apull").contains("service=fake-registry").contains("account=alice")
        .doesNotContain("wonder-land");
  }

  @Test
  void aWrongPasswordAtTheTokenEndpointNamesTheRegistryUserAndReason() {
    assertThatThrownBy(() -> resolver.resolveDigest(ref("team/app"), Optional.of(auth("wrong"))))
        .isInstanceOf(ManifestResolver.UnresolvedException.class)
        .hasMessageContaining("token endpoint 127.0.0.1:")
        .hasMessageContaining("registry " + registry.address())
        .hasMessageContaining("refused the credentials of user alice")
        .hasMessageContaining("wrong username or password")
        .hasMessageNotContaining("wrong\"");
  }

  @Test
  void withoutCredentialsTheTokenEndpointRefusesAndTheErrorSaysHowToLogIn() {
    assertThatThrownBy(() -> resolver.resolveDigest(ref("team/app"), Optional.empty()))
        .hasMessageContaining("refused anonymous access")
        .hasMessageContaining("shoal login " + registry.address());
  }

  @Test
  void a401WithoutAChallengeNamesTheRegistry() {
    assertThatThrownBy(() -> resolver.resolveDigest(ref("bare/app"), Optional.of(auth("wonder-land"))))
        .hasMessage("registry " + registry.address()
            + " answered 401 without a usable challenge (no WWW-Authenticate header);"
            + " Shoal speaks HTTP basic and bearer tokens only");
  }

  @Test
  void a401WithAnUnknownSchemeNamesTheRegistryAndTheChallenge() {
    assertThatThrownBy(() -> resolver.resolveDigest(ref("digest-scheme/app"), Optional.empty()))
        .hasMessageContaining("registry " + registry.address() + " answered 401 without a usable challenge")
        .hasMessageContaining("WWW-Authenticate: Digest realm=\"x\"");
  }

  @Test
  void aBearerRealmThatIsNotAnHttpUrlNamesTheRegistry() {
    assertThatThrownBy(() -> resolver.resolveDigest(ref("bad-realm/app"), Optional.of(auth("wonder-land"))))
        .isInstanceOf(ManifestResolver.UnresolvedException.class)
        .hasMessageContaining("registry " + registry.address() + " answered 401 without a usable challenge")
        .hasMessageContaining("ftp://");
  }

  @Test
  void challengeParametersMayBeQuotedOrNot() {
    assertThat(ManifestResolver.challengeParams(" realm=\"https://auth.example.com/token\",service=registry.example.com,"
        + " Scope=\"repository:a/b:pull,push\""))
        .containsEntry("realm", "https://auth.example.com/token")
        .containsEntry("service", "registry.example.com")
        .containsEntry("scope", "repository:a/b:pull,push");
  }
}
