package io.shoal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabExtensionTest {
  @Test
  void theHostsAreReadFromWhatLabShUpPrints() {
    String up = """
        h1 10.231.7.11 unix:///tmp/shoal-lab-t42/h1/docker.sock
        h2 10.231.7.12 unix:///tmp/shoal-lab-t42/h2/docker.sock
        """;

    assertThat(LabExtension.hosts("t42", up)).containsExactly(
        new Lab.Host("h1", "t42-h1", "10.231.7.11", "unix:///tmp/shoal-lab-t42/h1/docker.sock"),
        new Lab.Host("h2", "t42-h2", "10.231.7.12", "unix:///tmp/shoal-lab-t42/h2/docker.sock"));
  }

  @Test
  void anUnexpectedLineFailsWithTheLine() {
    assertThatThrownBy(() -> LabExtension.hosts("t42", "h1 10.231.7.11\n"))
        .hasMessageContaining("h1 10.231.7.11");
  }

  @Test
  void theRepositoryRootIsFoundFromAModuleDirectory() {
    // Maven runs this from test-support/.
    assertThat(Files.isRegularFile(LabExtension.repoRoot().resolve("deploy/lab.sh"))).isTrue();
  }

  @Test
  void aHostsCommandEntersItsNetworkNamespace() {
    Lab.Host h1 = new Lab.Host("h1", "t42-h1", "10.231.7.11", "unix:///x/docker.sock");

    assertThat(h1.command(List.of("java", "-version")))
        .containsExactly("nsenter", "--net=/var/run/netns/t42-h1", "--", "java", "-version");
  }
}
