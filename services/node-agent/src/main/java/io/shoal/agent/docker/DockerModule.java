package io.shoal.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.shoal.agent.exec.ContainerEngine;
import java.time.Duration;
import javax.inject.Named;
import javax.inject.Singleton;

/** Binds the agent's {@link ContainerEngine} to dockerd. Needs {@code @Named("dockerHost") String}. */
@Module
public abstract class DockerModule {
  /** Debian's dockerd is 20.10; pinning the API keeps docker-java from speaking a newer one. */
  public static final RemoteApiVersion API_VERSION = RemoteApiVersion.VERSION_1_41;

  @Binds
  abstract ContainerEngine engine(DockerEngine engine);

  @Provides
  @Singleton
  static DockerClient dockerClient(@Named("dockerHost") String dockerHost) {
    return connect(dockerHost);
  }

  /** A docker-java client for {@code dockerHost} ({@code unix:///…} or {@code tcp://…}) over httpclient5. */
  public static DockerClient connect(String dockerHost) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost)
        .withApiVersion(API_VERSION)
        .build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        // Pulls, stops and the event stream each hold a connection for as long as they last.
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(5))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
