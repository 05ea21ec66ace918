package io.shoal.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Negotiation against this machine's real dockerd (Debian's 20.10: API 1.41). */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class EngineApiNegotiationIT {
  private static final DockerTimeouts TIMEOUTS = new DockerTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(1));

  @Test
  void speaksTheEnginesOwnNewestVersionUpToShoalsCeiling(DockerTestEngine docker) throws Exception {
    String engineApi = docker.docker("version", "--format", "{{.Server.APIVersion}}").strip();
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(docker.host()).build();
    try (ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build()) {
      String negotiated = DockerModule.negotiate(http, docker.host()).getVersion();

      String expected = EngineApiVersion.negotiate(docker.host(), "", engineApi, "").getVersion();
      assertThat(negotiated).isEqualTo(expected);
      assertThat(negotiated).as("this machine's engine").isEqualTo(engineApi);
    }
  }

  @Test
  void theConnectedClientWorksAtThatVersion(DockerTestEngine docker) throws Exception {
    try (DockerClient client = DockerModule.connect(docker.host(), TIMEOUTS, new TimeoutCounter(io.shoal.common.telemetry.Telemetry.noop()))) {
      assertThat(client.versionCmd().exec().getApiVersion())
          .isEqualTo(docker.docker("version", "--format", "{{.Server.APIVersion}}").strip());
      assertThat(client.listContainersCmd().withShowAll(true).exec()).isNotNull();
    }
  }
}
