package io.shoal.dispatcher;

import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.StoreConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The parsed flags of the dispatcher.
 *
 * @param listen where gRPC listens, one or more addresses; metrics on the first one's host
 * @param metricsPort the Prometheus port; 0 disables the endpoint
 * @param store where etcd is
 * @param name this dispatcher in the sessions it holds (its first listen address)
 * @param heartbeatPeriod how often agents heartbeat; a node is DOWN after three missed periods
 * @param stallTimeout how long an agent may read nothing while messages wait for it (not a
 *     flag: {@link AgentSession#STALL_TIMEOUT}; tests shorten it)
 * @param clusterKey opens secrets for the nodes whose tasks use them; without it those tasks are
 *     rejected on their nodes, saying so
 */
public record DispatcherConfig(
    List<InetSocketAddress> listen,
    int metricsPort,
    StoreConfig store,
    String name,
    Duration heartbeatPeriod,
    Duration stallTimeout,
    Optional<ClusterKey> clusterKey) {}
