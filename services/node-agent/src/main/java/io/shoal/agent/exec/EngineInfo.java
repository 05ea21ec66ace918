package io.shoal.agent.exec;

import java.util.Map;

/** What the engine says about its host, for the node description. */
public record EngineInfo(
    String os, String arch, int cpus, long memoryBytes, String version, Map<String, String> labels) {

  public EngineInfo {
    labels = Map.copyOf(labels);
  }
}
