package io.shoal.meshproxy;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.shoal.meshproxy.ports.Frontend;
import io.shoal.meshproxy.tcp.BackendConnector;
import io.shoal.meshproxy.tcp.BalancingConnector;
import io.shoal.meshproxy.tcp.TcpFrontend;
import io.shoal.meshproxy.transport.Transport;
import io.shoal.meshproxy.udp.UdpFrontend;
import jakarta.inject.Singleton;
import java.util.List;

/** The mesh-proxy's parts that are not plain {@code @Inject} classes. */
@Module
public abstract class MeshProxyModule {
  private MeshProxyModule() {}

  @Binds
  abstract BackendConnector backendConnector(BalancingConnector connector);

  /** The protocols served, one frontend each. */
  @Provides
  static List<Frontend> frontends(TcpFrontend tcp, UdpFrontend udp) {
    return List.of(tcp, udp);
  }

  @Provides
  @Singleton
  static Transport transport() {
    return Transport.detect();
  }

  /** Pooled direct buffers: socket reads and writes without a copy to or from the heap. */
  @Provides
  @Singleton
  static ByteBufAllocator allocator() {
    return new PooledByteBufAllocator(true);
  }
}
