package io.shoal.agent;

import dagger.Component;
import io.shoal.agent.docker.DockerModule;
import io.shoal.common.telemetry.TelemetryModule;
import jakarta.inject.Singleton;

/** Wires the node agent; its only entry point is the {@link NodeAgent} to start. */
@Singleton
@Component(modules = {ConfigModule.class, AgentModule.class, DockerModule.class, TelemetryModule.class})
public interface AgentComponent {
  NodeAgent agent();
}
