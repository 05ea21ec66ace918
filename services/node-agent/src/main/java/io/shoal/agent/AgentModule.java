package io.shoal.agent;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.agent.docker.DockerTimeouts;
import io.shoal.agent.session.StatusQueue;
import io.shoal.agent.worker.StatusSink;
import io.shoal.agent.worker.WorkerLimits;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** The agent's wiring from its flags. */
@Module
public abstract class AgentModule {

  @Binds
  abstract StatusSink statusSink(StatusQueue queue);

  @Binds
  abstract Channel dispatcherChannel(ManagedChannel channel);

  @Binds
  abstract io.shoal.agent.exec.PullCredentials pullCredentials(
      io.shoal.agent.registry.RegistryPullCredentials credentials);

  /** To the registry service, for pull credentials; used only when a pull is needed. */
  @Provides
  @Singleton
  @Named("registry")
  static ManagedChannel registryChannel(AgentFlags flags, Telemetry telemetry) {
    InetSocketAddress registry = ServerOptions.parseHostPort(flags.registry());
    NettyChannelBuilder builder = NettyChannelBuilder
        .forAddress(registry.getHostString(), registry.getPort())
        .usePlaintext()
        .maxInboundMessageSize(GrpcServer.MAX_INBOUND_BYTES); // its answers are one pull login
    telemetry.instrument(builder);
    return builder.build();
  }

  @Provides
  @Singleton
  static LocalNode localNode(AgentFlags flags) {
    return new LocalNode(NodeIds.loadOrCreate(flags.stateDir()), flags.hostname(), flags.addr());
  }

  @Provides
  static WorkerLimits workerLimits(AgentFlags flags) {
    return flags.workerLimits();
  }

  @Provides
  static DockerTimeouts dockerTimeouts(AgentFlags flags) {
    return flags.dockerTimeouts();
  }

  @Provides
  @Named("dockerHost")
  static String dockerHost(AgentFlags flags) {
    return flags.dockerHost();
  }

  @Provides
  @Singleton
  static ManagedChannel managedChannel(AgentFlags flags, Telemetry telemetry) {
    InetSocketAddress dispatcher = ServerOptions.parseHostPort(flags.dispatcher());
    NettyChannelBuilder builder = NettyChannelBuilder
        .forAddress(dispatcher.getHostString(), dispatcher.getPort())
        .usePlaintext()
        // A dispatcher that vanished without closing the TCP connection is noticed in ~15 s.
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS);
    telemetry.instrument(builder);
    return builder.build();
  }

  @Binds
  abstract io.shoal.agent.exec.TaskNetworks taskNetworks(io.shoal.agent.overlay.OverlayPlane overlay);

  @Binds
  abstract io.shoal.agent.session.NetworkMapSink networkMaps(io.shoal.agent.overlay.OverlayPlane overlay);

  @Provides
  @Singleton
  static io.shoal.agent.overlay.OverlayPlane overlay(LocalNode node, io.shoal.agent.overlay.EngineNetworks engine,
      AgentFlags flags) {
    return io.shoal.agent.overlay.OverlayPlane.onHost(node, engine, io.shoal.agent.overlay.NameService.NONE,
        flags.overlayMtu());
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
