package io.shoal.common.pki;

import static io.shoal.common.pki.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.common.errors.InvalidArgumentException;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
  private static final RootCertificate ROOT = ClusterCa.create(NOW).root();

  @Test
  void aTokenHasSwarmsShape() {
    String token = JoinToken.generate(ROOT.digest()).value();

    assertThat(token).hasSize(JoinToken.LENGTH).hasSize(85).startsWith("SWMTKN-1-")
        .matches("SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}");
    String digest = token.split("-")[2];
    assertThat(new BigInteger(digest, 36)).isEqualTo(new BigInteger(ROOT.digest().hex(), 16));
  }

  @Test
  void aParsedTokenIsTheSameToken() {
    JoinToken token = JoinToken.generate(ROOT.digest());

    JoinToken parsed = JoinToken.parse(token.value() + "\n");

    assertThat(parsed.matches(token)).isTrue();
    assertThat(parsed.caDigest()).isEqualTo(ROOT.digest());
    assertThat(parsed.value()).isEqualTo(token.value());
  }

  @Test
  void aDigestWithLeadingZerosSurvivesBase36() {
    CaDigest small = CaDigest.fromBase36("0".repeat(49) + "z");

    assertThat(small.hex()).isEqualTo("0".repeat(62) + "23");
    assertThat(CaDigest.fromBase36(small.base36())).isEqualTo(small);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "empty||not a join token",
      "other prefix|SWMTKM-1-{digest}-{secret}|not a join token",
      "three parts|SWMTKN-1-{digest}|not a join token",
      "five parts|SWMTKN-1-{digest}-{secret}-x|not a join token",
      "version 2|SWMTKN-2-{digest}-{secret}|version '2' is not supported",
      "short digest|SWMTKN-1-abc-{secret}|its CA digest is malformed",
      "upper-case digest|SWMTKN-1-{DIGEST}-{secret}|its CA digest is malformed",
      "digest above 2^256|SWMTKN-1-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-{secret}|larger than a SHA-256",
      "short secret|SWMTKN-1-{digest}-abc|its secret is malformed (3 characters)",
      "secret with a symbol|SWMTKN-1-{digest}-{secret24}_|its secret is malformed",
  })
  void aMalformedTokenIsRefusedSayingWhatATokenIs(String name, String template, String reason) {
    String secret = "0123456789abcdefghijklmno";
    String text = template == null ? "" : template.replace("{digest}", ROOT.digest().base36())
        .replace("{DIGEST}", ROOT.digest().base36().toUpperCase()).replace("{secret24}", secret.substring(1))
        .replace("{secret}", secret);

    assertThatThrownBy(() -> JoinToken.parse(text))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("token"))
        .hasMessageContaining(reason)
        .hasMessageContaining("a join token is SWMTKN-1-<50 base-36 characters>-<25 base-36 characters> (85 characters)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(1)));
  }

  @Test
  void aTokenForAnotherCaNamesBothDigests() {
    RootCertificate other = ClusterCa.create(NOW).root();
    JoinToken token = JoinToken.parse(JoinToken.generate(ROOT.digest()).value());

    token.verifyCa(ROOT);
    assertThatThrownBy(() -> token.verifyCa(other))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("token: the CA of the manager does not match the token: expected " + ROOT.digest()
            + " got " + other.digest());
  }

  @Test
  void rotationKeepsTheCaAndChangesTheSecret() {
    JoinTokens tokens = JoinTokens.generate(ROOT);
    JoinToken oldWorker = JoinToken.parse(tokens.worker().value());

    JoinTokens rotated = tokens.rotate(Role.WORKER);

    assertThat(rotated.worker().caDigest()).isEqualTo(ROOT.digest());
    assertThat(rotated.worker().value()).isNotEqualTo(oldWorker.value());
    assertThat(rotated.roleOf(oldWorker)).isEmpty();
    assertThat(rotated.roleOf(JoinToken.parse(rotated.worker().value()))).contains(Role.WORKER);
    assertThat(rotated.manager()).isSameAs(tokens.manager());
    assertThat(rotated.roleOf(JoinToken.parse(tokens.manager().value()))).contains(Role.MANAGER);
  }

  @Test
  void theSameSecretForAnotherCaDoesNotMatch() {
    JoinToken token = JoinToken.generate(ROOT.digest());
    String secret = token.value().substring(token.value().lastIndexOf('-') + 1);
    JoinToken otherCa = JoinToken.parse("SWMTKN-1-" + ClusterCa.create(NOW).root().digest().base36() + "-" + secret);

    assertThat(token.matches(otherCa)).isFalse();
    assertThat(JoinTokens.generate(ROOT).roleOf(token)).isEmpty();
  }

  @Test
  void toStringHidesTheSecret() {
    JoinToken token = JoinToken.generate(ROOT.digest());
    String secret = token.value().substring(token.value().lastIndexOf('-') + 1);

    assertThat(token.toString()).doesNotContain(secret).endsWith("-" + "*".repeat(25)).hasSize(85);
    assertThat(JoinTokens.generate(ROOT).toString()).doesNotContainPattern("-[0-9a-z]{25}[,\\]]");
  }
}
