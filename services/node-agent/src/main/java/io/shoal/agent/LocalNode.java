package io.shoal.agent;

/**
 * This node as the agent knows it.
 *
 * @param id the node id, generated once and kept in the state dir
 * @param hostname the node name
 * @param addr the IP address published ports bind on (127.0.0.N on one machine)
 * @param metricsAddr where the agent serves /metrics ("host:port"), told to the dispatcher in the
 *     node's description so control can list it to Prometheus; empty when it serves none
 * @param agentAddress where this agent serves gRPC (host:port), told to the dispatcher so that
 *     managers can ask it for task logs; empty when it serves none (tests)
 */
public record LocalNode(String id, String hostname, String addr, String metricsAddr, String agentAddress) {
  /** A node that serves neither metrics nor gRPC (tests). */
  public LocalNode(String id, String hostname, String addr) {
    this(id, hostname, addr, "", "");
  }
}
