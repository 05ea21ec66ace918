package io.shoal.testing;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * In-process gRPC servers and the channels to them, each under a name of its own, so tests never
 * reach each other's servers; all are shut down after each test. Calls run on the caller's thread
 * (direct executor). Register it on an instance field:
 *
 * <pre>{@code
 * @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
 *
 * @BeforeEach void start() {
 *   ImagePinner pinner = new ImagePinner(grpc.serve(new StubRegistryService()));
 *   control = ControlServiceGrpc.newBlockingStub(grpc.serve(new ControlGrpcService(manager)));
 * }
 * }</pre>
 */
public final class InProcessGrpcExtension implements AfterEachCallback {
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  /** Starts a server with {@code services} under a new name; returns a channel to it. */
  public synchronized ManagedChannel serve(BindableService... services) {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    for (BindableService service : services) {
      builder.addService(service);
    }
    try {
      servers.add(builder.build().start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return channel(name);
  }

  /** A channel to a name nobody serves, for a dependency the test never calls: a call fails UNAVAILABLE. */
  public synchronized ManagedChannel unservedChannel() {
    return channel(InProcessServerBuilder.generateName());
  }

  private ManagedChannel channel(String name) {
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(channel);
    return channel;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    channels.clear();
    servers.clear();
  }
}
