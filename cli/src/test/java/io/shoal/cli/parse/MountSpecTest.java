package io.shoal.cli.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Mount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountSpecTest {
  @Test
  void readsEachTypeAndItsOptions() {
    assertThat(MountSpec.parse("type=bind,source=/srv/data,target=/data,readonly,bind-propagation=rslave"))
        .isEqualTo(Mount.newBuilder().setType(Mount.Type.TYPE_BIND).setSource("/srv/data").setTarget("/data")
            .setReadOnly(true).setBindOptions(Mount.BindOptions.newBuilder().setPropagation("rslave")).build());
    assertThat(MountSpec.parse("src=cache,dst=/cache,volume-nocopy,volume-label=a=b,volume-driver=local,"
        + "\"volume-opt=o=size=1m,uid=1000\",ro=false"))
        .isEqualTo(Mount.newBuilder().setType(Mount.Type.TYPE_VOLUME).setSource("cache").setTarget("/cache")
            .setVolumeOptions(Mount.VolumeOptions.newBuilder().setNoCopy(true).putLabels("a", "b")
                .setDriver("local").putDriverOptions("o", "size=1m,uid=1000")).build());
    assertThat(MountSpec.parse("type=tmpfs,destination=/scratch,tmpfs-size=64m,tmpfs-mode=1770"))
        .isEqualTo(Mount.newBuilder().setType(Mount.Type.TYPE_TMPFS).setTarget("/scratch")
            .setTmpfsOptions(Mount.TmpfsOptions.newBuilder().setSizeBytes(64L << 20).setMode(01770)).build());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "type=bind,source=/a|target is required",
      "type=nfs,target=/a|invalid mount type \"nfs\"",
      "target=/a,colour=red|unexpected key 'colour'",
      "target=/a,source|invalid field 'source' must be a key=value pair",
      "target=/a,readonly=maybe|invalid value for readonly: maybe",
      "type=tmpfs,target=/a,tmpfs-mode=9|invalid tmpfs-mode",
      "type=tmpfs,target=/a,tmpfs-size=lots|is not a size in bytes",
      "type=bind,source=/a,target=/b,volume-nocopy|cannot mix",
      "\"target=/a|unclosed quote",
  })
  void refusesWhatDockerRefuses(String value, String message) {
    assertThatThrownBy(() -> MountSpec.parse(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
