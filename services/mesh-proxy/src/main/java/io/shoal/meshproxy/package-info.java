/**
 * The routing mesh of one node: every published ingress port of every service is served on the
 * node's address, and each TCP connection or UDP flow is forwarded to a RUNNING task of the
 * service.
 *
 * <pre>
 *  etcd ──list+watch──▶ StoreCache ──batches──▶ RouteWatcher (one thread)
 *                                                 │ RouteTableBuilder.build(services, tasks)
 *                                                 ├─▶ LiveRoutes.publish(table)   (AtomicReference)
 *                                                 ├─▶ BackendConnections.retain   (drain the rest)
 *                                                 └─▶ PortListeners.reconcile(table)
 *                                                        └─ Frontend per protocol (TCP, UDP)
 *  client ──▶ TcpConnectHandler ── reads LiveRoutes once ──▶ BalancingConnector
 *                 │                         (BackendChooser: round robin | least-conn, PROXY header)
 *                 └─ replaced by RelayHandler ⇄ RelayHandler on the backend channel
 *  datagram ──▶ UdpFlows ── one UdpFlow per client address ──▶ connected datagram channel
 * </pre>
 *
 * <p>Wiring: {@link io.shoal.meshproxy.MeshProxyComponent}, built by
 * {@link io.shoal.meshproxy.MeshProxyMain} from a {@link io.shoal.meshproxy.ConfigModule}
 * holding the flags. See {@code services/mesh-proxy/DESIGN.md}.
 */
package io.shoal.meshproxy;
