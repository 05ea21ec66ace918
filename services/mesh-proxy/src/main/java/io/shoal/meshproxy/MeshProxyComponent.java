package io.shoal.meshproxy;

import dagger.Component;
import jakarta.inject.Singleton;

/** Wires one mesh-proxy; its only entry point is the {@link MeshProxy} to start. */
@Singleton
@Component(modules = {ConfigModule.class, MeshProxyModule.class})
public interface MeshProxyComponent {
  MeshProxy meshProxy();
}
