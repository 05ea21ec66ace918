package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.NetworkAttachmentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkAttachmentSpecTest {
  @Test
  void aNameAlone() {
    assertThat(NetworkAttachmentSpec.parse("my-network"))
        .isEqualTo(NetworkAttachmentConfig.newBuilder().setTarget("my-network").build());
  }

  @Test
  void theLongFormWithAliases() {
    assertThat(NetworkAttachmentSpec.parse("name=my-network,alias=web,alias=www"))
        .isEqualTo(NetworkAttachmentConfig.newBuilder().setTarget("my-network").addAliases("web").addAliases("www").build());
    assertThat(NetworkAttachmentSpec.parse("alias=web,name=n").getTarget()).isEqualTo("n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "alias=web                    | bad network \"alias=web\": name=NAME is missing",
      "name=n,driver-opt=a=b        | unknown key \"driver-opt\" (Shoal takes name and alias)",
      "name=n,alias                 | \"alias\" needs a value (KEY=VALUE)",
      "name=                        | \"name=\" needs a value",
      "a,b                          | use name=NAME,alias=ALIAS for more than a name",
  })
  void refusesWhatItCannotRead(String value, String message) {
    assertThatThrownBy(() -> NetworkAttachmentSpec.parse(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
