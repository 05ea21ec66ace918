package io.shoal.control;

import io.shoal.control.logs.AgentChannels;
import io.shoal.control.logs.ServiceLogs;

import dagger.Module;
import dagger.Provides;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.control.ca.CaGrpcService;
import io.shoal.control.ca.ClusterCaManager;
import io.shoal.control.ca.NodeCertificates;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Control's parts that are not plain {@code @Inject} classes. */
@Module
public final class ControlModule {
  private ControlModule() {}

  @Provides
  @Singleton
  @Named("registry")
  static ManagedChannel registryChannel(ControlConfig config, ServiceTls tls, Telemetry telemetry) {
    NettyChannelBuilder builder = tls.channelTo(config.registry())
        .maxInboundMessageSize(GrpcServer.MAX_INBOUND_BYTES); // its answers are a digest or a sealed login
    telemetry.instrument(builder);
    return builder.build();
  }

  @Provides
  @Named("registry")
  static Channel registry(@Named("registry") ManagedChannel channel) {
    return channel;
  }

  @Provides
  @Singleton
  static OrphanCredentialSweeper credentialSweeper(ControlConfig config, EtcdStore store, Telemetry telemetry) {
    return new OrphanCredentialSweeper(store, config.sweepInterval(), telemetry);
  }

  @Provides
  @Singleton
  static ClusterCaManager clusterCa(ControlConfig config, EtcdStore store, Clock clock) {
    return new ClusterCaManager(store, config.clusterKey(), config.pkiDir(), clock);
  }

  @Provides
  @Singleton
  static CaGrpcService caService(ControlConfig config, ClusterCaManager clusterCa, Clock clock) {
    return new CaGrpcService(new NodeCertificates(clusterCa, config.certExpiry(), clock));
  }

  @Provides
  @Singleton
  static ServiceLogs serviceLogs(EtcdStore store, AgentChannels channels, ServiceQueries services, NodeManager nodes,
      Telemetry telemetry) {
    ServiceLogs logs = new ServiceLogs(store, channels, services::findStored, nodes::byId);
    telemetry.meter("io.shoal.control").gaugeBuilder("shoal.control.logs.calls").ofLongs().setUnit("{call}")
        .setDescription("shoal service logs calls open now (at most ServiceLogs.MAX_CALLS)")
        .buildWithCallback(m -> m.record(logs.openCalls()));
    return logs;
  }

  @Provides
  static Clock clock() {
    return Clock.systemUTC();
  }
}
