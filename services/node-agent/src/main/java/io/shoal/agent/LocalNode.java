package io.shoal.agent;

/**
 * This node as the agent knows it.
 *
 * @param id the node id, generated once and kept in the state dir
 * @param hostname the node name
 * @param addr the IP address published ports bind on (127.0.0.N on one machine)
 */
public record LocalNode(String id, String hostname, String addr) {}
