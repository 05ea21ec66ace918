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
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DockerModule.class);
  /** dockerd is local (a unix socket, or a host next door): a connect takes milliseconds. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Connections to dockerd at once, for everything but task logs. */
  static final int MAX_CONNECTIONS = 64;

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
   * The client task logs are read with: a followed log holds its connection for as long as it is
   * read, so logs have a pool of their own ({@code TaskLogsGrpcService.MAX_STREAMS} connections)
   * and many readers cannot take the connections pulls, stops and the event stream need.
   */
  @Provides
  @Singleton
  @Named("logs")
  static DockerClient logsDockerClient(@Named("dockerHost") String dockerHost, DockerTimeouts timeouts,
      TimeoutCounter counter) {
    return connect(dockerHost, timeouts, counter, io.shoal.agent.logs.TaskLogsGrpcService.MAX_STREAMS);
  }

  /**
   * A docker-java client for {@code dockerHost} ({@code unix:///…} or {@code tcp://…}) over
   * httpclient5, every request of which fails when dockerd does not answer within
   * {@code timeouts} ({@link DeadlineHttpClient}), speaking the API version negotiated with the
   * engine ({@link EngineApiVersion}).
   *
   * @throws IllegalStateException when the engine cannot be reached or its API is out of range
   */
  public static DockerClient connect(String dockerHost, DockerTimeouts timeouts, TimeoutCounter counter) {
    return connect(dockerHost, timeouts, counter, MAX_CONNECTIONS);
  }

  /** As {@link #connect(String, DockerTimeouts, TimeoutCounter)}, with at most {@code maxConnections} at once. */
  public static DockerClient connect(String dockerHost, DockerTimeouts timeouts, TimeoutCounter counter,
      int maxConnections) {
    DefaultDockerClientConfig unversioned = config(dockerHost, RemoteApiVersion.unknown());
    DockerHttpClient timed = http(unversioned, maxConnections).responseTimeout(timeouts.call()).build();
    DockerHttpClient untimed = http(unversioned, maxConnections).build();
    DeadlineHttpClient http = new DeadlineHttpClient(timed, untimed, timeouts, counter);
    return DockerClientImpl.getInstance(config(dockerHost, negotiate(http, dockerHost)), http);
  }

  /** Asks the engine behind {@code http} its API range and picks the version to speak. */
  static RemoteApiVersion negotiate(DockerHttpClient http, String dockerHost) {
    EngineVersion engine = EngineVersion.ask(http, dockerHost);
    RemoteApiVersion api = EngineApiVersion.negotiate(dockerHost, engine.version(), engine.apiVersion(),
        engine.minApiVersion());
    log.info("Docker engine {} at {}: speaking API {} (the engine takes {} to {}, Shoal {} to {})", engine.version(),
        dockerHost, api.getVersion(), engine.minApiVersion().isEmpty() ? "?" : engine.minApiVersion(),
        engine.apiVersion(), EngineApiVersion.FLOOR.getVersion(), EngineApiVersion.CEILING.getVersion());
    return api;
  }

  private static DefaultDockerClientConfig config(String dockerHost, RemoteApiVersion api) {
    return DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).withApiVersion(api).build();
  }

  private static ApacheDockerHttpClient.Builder http(DefaultDockerClientConfig config, int maxConnections) {
    return new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        // Pulls, stops and the event stream each hold a connection for as long as they last.
        .maxConnections(maxConnections)
        .connectionTimeout(CONNECT_TIMEOUT);
  }
}
