package io.shoal.agent;

/**
 * This node as the agent knows it.
 *
 * @param id the node id, generated once and kept in the state dir
 * @param hostname the node name
 * @param addr the IP address published ports bind on (127.0.0.N on one machine)
 * @param agentAddress where this agent serves gRPC (host:port), told to the dispatcher so that
 *     managers can ask it for task logs; empty when it serves none (tests)
 */
public record LocalNode(String id, String hostname, String addr, String agentAddress) {
  public LocalNode(String id, String hostname, String addr) {
    this(id, hostname, addr, "");
  }
}
