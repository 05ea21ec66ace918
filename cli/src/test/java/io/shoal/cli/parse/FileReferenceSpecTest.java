package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.FileTarget;
import org.junit.jupiter.api.Test;

class FileReferenceSpecTest {
  @Test
  void aNameAloneLeavesTheDefaultsToControl() {
    assertThat(FileReferenceSpec.parse("db-password", "secret"))
        .isEqualTo(new FileReferenceSpec.Parsed("db-password", FileTarget.getDefaultInstance()));
  }

  @Test
  void theLongFormTakesDockersKeys() {
    assertThat(FileReferenceSpec.parse("source=tls,target=certs/key.pem,uid=1000,gid=50,mode=0400", "secret"))
        .isEqualTo(new FileReferenceSpec.Parsed("tls", FileTarget.newBuilder()
            .setName("certs/key.pem").setUid("1000").setGid("50").setMode(0400).build()));
    assertThat(FileReferenceSpec.parse("src=app,target=/etc/app.yml", "config").source()).isEqualTo("app");
  }

  @Test
  void theModeReadsAsGoDoes() {
    assertThat(FileReferenceSpec.parse("src=a,mode=0o640", "secret").file().getMode()).isEqualTo(0640);
    assertThat(FileReferenceSpec.parse("src=a,mode=0x1a4", "secret").file().getMode()).isEqualTo(0644);
    assertThat(FileReferenceSpec.parse("src=a,mode=256", "secret").file().getMode()).isEqualTo(256);
    assertThatThrownBy(() -> FileReferenceSpec.parse("src=a,mode=rw", "secret"))
        .hasMessage("bad secret \"src=a,mode=rw\": mode \"rw\" is not a number (octal like 0444)");
    assertThatThrownBy(() -> FileReferenceSpec.parse("src=a,mode=0-1", "secret"))
        .hasMessage("bad secret \"src=a,mode=0-1\": mode \"0-1\" is not a number (octal like 0444)");
  }

  @Test
  void badValuesSayWhatIsWrong() {
    assertThatThrownBy(() -> FileReferenceSpec.parse("target=x", "config"))
        .hasMessage("bad config \"target=x\": source=NAME is missing");
    assertThatThrownBy(() -> FileReferenceSpec.parse("src=a,owner=x", "secret"))
        .hasMessage("bad secret \"src=a,owner=x\": unknown key \"owner\" (Shoal takes source, target, uid, gid and mode)");
    assertThatThrownBy(() -> FileReferenceSpec.parse("a,b", "secret"))
        .hasMessage("bad secret \"a,b\": use source=NAME,target=PATH,... for more than a name");
    assertThatThrownBy(() -> FileReferenceSpec.parse("src=a,uid", "secret"))
        .hasMessage("bad secret \"src=a,uid\": \"uid\" needs a value (KEY=VALUE)");
  }
}
