package io.shoal.agent.session;

import io.shoal.api.v1.NetworkMap;

/** Takes each NetworkMap the dispatcher sends (the overlay carries it out). */
public interface NetworkMapSink {
  NetworkMapSink NONE = map -> {};

  /** Called on the session thread before the assignments that follow it: return quickly. */
  void update(NetworkMap map);
}
