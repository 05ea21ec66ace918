package io.shoal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenResponseTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"token\":\"abc\"}                                         | abc",
      "{\"access_token\":\"abc\",\"expires_in\":300}             | abc",
      "{\"expires_in\":300, \"token\" : \"a\\\"b\"}              | a\"b",
      "{\"token\":\"\\u0061bc\"}                                   | abc",
      "{\"token\":\"\",\"access_token\":\"xyz\"}               | xyz",
      "{\"issued_at\":\"x\",\"token\":\"t1\",\"access_token\":\"t2\"} | t1",
  })
  void readsTheTokenAsJson(String body, String token) {
    assertThat(TokenResponse.token(body.getBytes(StandardCharsets.UTF_8))).contains(token);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[\"token\"]", "{\"token\":42}", "{\"token\":null}", "{\"token\":\"\"}",
      "{\"details\":{\"token\":\"nested\"}}", "{\"tok\":\"x\"}"})
  void findsNoTokenWhereThereIsNone(String body) {
    assertThat(TokenResponse.token(body.getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
