package io.shoal.control.logs;

import io.grpc.ManagedChannel;
import io.shoal.common.server.ServerOptions;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One channel per node agent that control has asked for logs, by its gRPC address; kept until control stops. */
@Singleton
public final class AgentChannels implements AutoCloseable {
  private final ServiceTls tls;
  private final Telemetry telemetry;
  private final Map<String, ManagedChannel> channels = new HashMap<>();

  @Inject
  public AgentChannels(ServiceTls tls, Telemetry telemetry) {
    this.tls = tls;
    this.telemetry = telemetry;
  }

  /** The channel to the agent at {@code address} (host:port), opened on first use. */
  synchronized ManagedChannel to(String address) {
    return channels.computeIfAbsent(address, a -> {
      var builder = tls.channelToMember(ServerOptions.parseHostPort(a))
          // An agent whose host vanished is noticed in ~15 s, its streams then end.
          .keepAliveTime(10, TimeUnit.SECONDS)
          .keepAliveTimeout(5, TimeUnit.SECONDS);
      telemetry.instrument(builder);
      return builder.build();
    });
  }

  @Override
  public synchronized void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
