package io.shoal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdsTest {
  @Test
  void generatesOnceAndKeepsTheId(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("nested/state");

    String first = NodeIds.loadOrCreate(state);
    String second = NodeIds.loadOrCreate(state);

    assertThat(first).matches("[0-9a-z]{25}");
    assertThat(second).isEqualTo(first);
    assertThat(Files.readString(state.resolve("node-id")).strip()).isEqualTo(first);
  }
}
