package io.shoal.scheduler;

import io.shoal.common.store.StoreConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The parsed flags of the scheduler.
 *
 * @param listen where gRPC (health only) listens; metrics on the first one's host
 * @param metricsPort the Prometheus port; 0 disables the endpoint
 * @param store where etcd is
 * @param taskHistoryLimit finished tasks kept per slot
 * @param leaderTtl how long a dead leader's lease lasts before another scheduler takes over
 * @param instanceId this scheduler's name in the election
 * @param disabledFilters placement filters turned off, by name (all known)
 * @param disabledPreferences placement preferences turned off, by name (all known)
 */
public record SchedulerConfig(
    List<InetSocketAddress> listen,
    int metricsPort,
    StoreConfig store,
    int taskHistoryLimit,
    Duration leaderTtl,
    String instanceId,
    Set<String> disabledFilters,
    Set<String> disabledPreferences) {}
