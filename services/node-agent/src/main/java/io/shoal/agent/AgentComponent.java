package io.shoal.agent;

import dagger.BindsInstance;
import dagger.Component;
import io.shoal.agent.docker.DockerModule;
import jakarta.inject.Singleton;

/** The node agent's object graph, built in {@link NodeAgentMain} from the parsed flags. */
@Singleton
@Component(modules = {AgentModule.class, DockerModule.class})
public interface AgentComponent {
  NodeAgent agent();

  @Component.Factory
  interface Factory {
    AgentComponent create(@BindsInstance AgentFlags flags);
  }

  static AgentComponent create(AgentFlags flags) {
    return DaggerAgentComponent.factory().create(flags);
  }
}
