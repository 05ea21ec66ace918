package io.shoal.agent.overlay;

import io.shoal.api.v1.NetworkMap;
import java.util.Set;

/** The names tasks on the host's networks resolve (service discovery), answered on the host. */
public interface NameService {
  /** For agents that serve no names (and tests of the data path alone). */
  NameService NONE = new NameService() {
    @Override
    public void update(NetworkMap map) {}

    @Override
    public void serveOn(Set<String> addresses) {}
  };

  /** The names now known: those of the map's services, for the tasks the map holds. */
  void update(NetworkMap map);

  /** Answers on exactly these addresses of the host (each network's gateway) from now on. */
  void serveOn(Set<String> addresses);
}
