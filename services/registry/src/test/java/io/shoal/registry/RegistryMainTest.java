package io.shoal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.common.store.Tables;
import io.shoal.common.store.Writer;
import io.shoal.registry.credentials.ClusterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RegistryMainTest {
  @TempDir Path dir;

  private static RegistryMain parse(String... args) {
    RegistryMain main = new RegistryMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void theCacheTtlIsAFlagWithAShortDefault() {
    assertThat(parse().cacheTtl).isEqualTo(Duration.ofSeconds(10));
    assertThat(parse("--resolve-cache-ttl", "0s").cacheTtl).isZero();
  }

  @Test
  void theCacheSizeIsAFlagWithABoundedDefault() {
    assertThat(parse().cacheSize).isEqualTo(ResolutionCache.DEFAULT_MAX_ENTRIES).isEqualTo(10_000);
    assertThat(parse("--resolve-cache-size", "50").cacheSize).isEqualTo(50);
  }

  @Test
  void theClusterKeyComesFromItsFile() throws Exception {
    byte[] raw = new byte[32];
    raw[0] = 7;
    Path file = Files.writeString(dir.resolve("cluster.key"), Base64.getEncoder().encodeToString(raw) + "\n");

    assertThat(parse("--cluster-key-file", file.toString()).clusterKey())
        .hasValueSatisfying(k -> assertThat(k.id()).hasSize(16));
  }

  @Test
  void aKeyOfTheWrongSizeSaysHowToMakeOne() throws Exception {
    Path file = Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[16]));

    assertThatThrownBy(() -> parse("--cluster-key-file", file.toString()).clusterKey())
        .hasMessageContaining("must be 32 bytes").hasMessageContaining("head -c 32 /dev/urandom | base64");
  }

  @Test
  void theStoreWritesOnlyWhereItsMetricsAre() {
    Writer writer = parse().config().store().writer();

    assertThat(writer).isEqualTo(Writer.REGISTRY);
    assertThat(writer.prefixes()).containsExactly(Tables.METRICS_REGISTRY);
    assertThat(writer.mayWrite(Tables.CREDENTIALS.name() + "/s1")).isFalse();
  }

  @Test
  void sealedValuesOpenOnlyWithTheirAssociatedData() {
    ClusterKey key = ClusterKey.generate();
    ClusterKey.Sealed sealed = key.seal("secret".getBytes(), "svc1".getBytes());

    assertThat(new String(key.open(sealed, "svc1".getBytes(), "x"))).isEqualTo("secret");
    assertThatThrownBy(() -> key.open(sealed, "svc2".getBytes(), "x")).hasMessageContaining("cannot be decrypted");
  }
}
