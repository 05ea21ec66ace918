package io.shoal.agent;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.agent.discovery.DnsServer;
import io.shoal.agent.discovery.DnsServerConfig;
import io.shoal.agent.docker.DockerTimeouts;
import io.shoal.agent.exec.TaskNetworks;
import io.shoal.agent.overlay.DnsNames;
import io.shoal.agent.overlay.EngineNetworks;
import io.shoal.agent.overlay.OverlayPlane;
import io.shoal.agent.session.DispatcherEndpoints;
import io.shoal.agent.session.NetworkMapSink;
import io.shoal.agent.session.StatusQueue;
import io.shoal.agent.worker.StatusSink;
import io.shoal.agent.worker.WorkerLimits;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** The agent's wiring from its flags. */
@Module
public abstract class AgentModule {

  @Binds
  abstract StatusSink statusSink(StatusQueue queue);

  @Binds
  abstract io.shoal.agent.exec.PullCredentials pullCredentials(
      io.shoal.agent.registry.RegistryPullCredentials credentials);

  /** To the registry service, for pull credentials; used only when a pull is needed. */
  @Provides
  @Singleton
  @Named("registry")
  static ManagedChannel registryChannel(AgentFlags flags, ServiceTls tls, Telemetry telemetry) {
    NettyChannelBuilder builder = tls.channelTo(ServerOptions.parseHostPort(flags.registry()))
        .maxInboundMessageSize(GrpcServer.MAX_INBOUND_BYTES); // its answers are one pull login
    telemetry.instrument(builder);
    return builder.build();
  }

  @Provides
  @Singleton
  static LocalNode localNode(AgentFlags flags, ServiceTls tls, Telemetry telemetry) {
    String id = tls.identity()
        .map(identity -> NodeIds.adopt(flags.stateDir(), identity.nodeId()))
        .orElseGet(() -> NodeIds.loadOrCreate(flags.stateDir()));
    return new LocalNode(id, flags.hostname(), flags.addr(), telemetry.metricsAddress().orElse(""), agentAddress(flags));
  }

  /** --listen as managers reach it: a wildcard host is replaced by --addr. */
  static String agentAddress(AgentFlags flags) {
    InetSocketAddress listen = flags.listen();
    String host = listen.getAddress() != null && listen.getAddress().isAnyLocalAddress()
        ? flags.addr() : listen.getHostString();
    return host + ":" + listen.getPort();
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

  /** Every dispatcher of --dispatcher, each channel opened on first use. */
  @Provides
  @Singleton
  static DispatcherEndpoints dispatchers(AgentFlags flags, ServiceTls tls, Telemetry telemetry) {
    DispatcherEndpoints dispatchers = new DispatcherEndpoints(flags.dispatchers(),
        address -> dispatcherChannel(address, tls, telemetry), n -> new SplittableRandom().nextInt(n));
    // Connect now: a cold JVM's TLS handshake takes about a second, which then overlaps the
    // engine's scan and the DNS server's start instead of delaying the session (bench/join.sh).
    dispatchers.connectNow();
    return dispatchers;
  }

  private static ManagedChannel dispatcherChannel(InetSocketAddress address, ServiceTls tls, Telemetry telemetry) {
    NettyChannelBuilder builder = tls.channelTo(address)
        // A dispatcher that vanished without closing the TCP connection is noticed in ~15 s.
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS);
    telemetry.instrument(builder);
    return builder.build();
  }

  @Binds
  abstract TaskNetworks taskNetworks(OverlayPlane overlay);

  /** Each task's secrets and configs in a tmpfs of its own, from the data the session received. */
  @Provides
  @Singleton
  static io.shoal.agent.exec.TaskFiles taskFiles(AgentFlags flags, io.shoal.agent.files.FileDataStore data) {
    return new io.shoal.agent.files.TmpfsTaskFiles(flags.taskFilesDir(), data);
  }

  @Binds
  abstract NetworkMapSink networkMaps(OverlayPlane overlay);

  @Provides
  @Singleton
  static OverlayPlane overlay(LocalNode node, EngineNetworks engine, DnsServer dns, AgentFlags flags) {
    return OverlayPlane.onHost(node, engine, new DnsNames(dns), flags.overlayMtu());
  }

  /** Answers tasks' names; listens only once a network is up on the host (its gateway). */
  @Provides
  @Singleton
  static DnsServer dnsServer(AgentFlags flags, Telemetry telemetry) {
    return new DnsServer(DnsServerConfig.forwardingTo(flags.dnsUpstreams()), telemetry).start();
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
