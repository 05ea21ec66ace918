package io.shoal.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.shoal.agent.exec.ContainerEngine;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Binds the agent's {@link ContainerEngine} to dockerd. Needs {@code @Named("dockerHost") String}
 * and {@link DockerTimeouts}.
 */
@Module
public abstract class DockerModule {
  /** Debian's dockerd is 20.10; pinning the API keeps docker-java from speaking a newer one. */
  public static final RemoteApiVersion API_VERSION = RemoteApiVersion.VERSION_1_41;
  /** dockerd is local (a unix socket, or a host next door): a connect takes milliseconds. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  @Binds
  abstract ContainerEngine engine(DockerEngine engine);

  @Binds
  abstract io.shoal.agent.overlay.EngineNetworks networks(DockerNetworks networks);

  @Provides
  @Singleton
  static DockerClient dockerClient(@Named("dockerHost") String dockerHost, DockerTimeouts timeouts,
      TimeoutCounter counter) {
    return connect(dockerHost, timeouts, counter);
  }

  /**
   * A docker-java client for {@code dockerHost} ({@code unix:///…} or {@code tcp://…}) over
   * httpclient5, every request of which fails when dockerd does not answer within
   * {@code timeouts} ({@link DeadlineHttpClient}).
   */
  public static DockerClient connect(String dockerHost, DockerTimeouts timeouts, TimeoutCounter counter) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost)
        .withApiVersion(API_VERSION)
        .build();
    DockerHttpClient timed = http(config).responseTimeout(timeouts.call()).build();
    DockerHttpClient untimed = http(config).build();
    return DockerClientImpl.getInstance(config,
        new DeadlineHttpClient(timed, untimed, timeouts, counter));
  }

  private static ApacheDockerHttpClient.Builder http(DefaultDockerClientConfig config) {
    return new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        // Pulls, stops and the event stream each hold a connection for as long as they last.
        .maxConnections(64)
        .connectionTimeout(CONNECT_TIMEOUT);
  }
}
