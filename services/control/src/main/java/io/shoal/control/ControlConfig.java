package io.shoal.control;

import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.StoreConfig;
import io.shoal.control.network.NetworkConfig;
import io.shoal.control.web.WebConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The parsed flags of the control service.
 *
 * @param listen where gRPC listens, one or more addresses; metrics on the first one's host
 * @param metricsPort the Prometheus port; 0 disables the endpoint
 * @param store where etcd is
 * @param registry the registry service, which resolves image tags and seals pull logins
 * @param sweepInterval how often registry credentials left without their service are removed
 * @param networks where networks get their subnets
 * @param clusterKey seals secrets, the cluster CA's key and the join tokens; absent: no secrets, no CA
 * @param certExpiry how long the node certificates the cluster CA issues are valid
 * @param pkiDir the CA made offline ({@code shoal-control ca init}), adopted into etcd if it has none
 * @param web the cluster page: where it is served, and the Prometheus its graphs read
 */
public record ControlConfig(
    List<InetSocketAddress> listen, int metricsPort, StoreConfig store, InetSocketAddress registry,
    Duration sweepInterval, NetworkConfig networks, Optional<ClusterKey> clusterKey,
    Duration certExpiry, Optional<Path> pkiDir, WebConfig web) {}
