/**
 * The cluster's trust model: a CA whose key is sealed under the cluster key, node certificates
 * whose subject says who the node is (CN node id, OU role, O cluster id), Swarm's join tokens,
 * and TLS 1.3 contexts that trust only the cluster's root. See this module's DESIGN.md.
 *
 * <pre>{@code
 * // A manager, once: the CA, sealed at rest, and the two join tokens.
 * ClusterCa ca = ClusterCa.create(Instant.now());
 * ca.save(caDir, ClusterKey.fromFile(clusterKeyFile));
 * JoinTokens tokens = JoinTokens.generate(ca.root());
 *
 * // A node: its own key and CSR; the manager checks the token and issues.
 * KeyPair keys = Keys.newEcP256();
 * byte[] csr = CertificateRequest.create(keys).der();
 * Role role = tokens.roleOf(JoinToken.parse(presented)).orElseThrow();          // manager side
 * X509Certificate cert = ca.issue(CertificateRequest.fromDer(csr),
 *     CertificateSpec.of(new PeerIdentity(nodeId, role, clusterId)), Instant.now());
 * NodeCredentials credentials = NodeCredentials.issued(keys, cert, ca.root(), Instant.now());
 *
 * // Every process: mutual TLS on gRPC, the certificate swappable on renewal.
 * ReloadableKeyManager mine = new ReloadableKeyManager(credentials);
 * NettyServerBuilder.forAddress(address).sslContext(ClusterTls.server(mine, ca.root(), refusals));
 * NettyChannelBuilder.forTarget(target)
 *     .sslContext(ClusterTls.client(mine, ca.root(), Optional.of(Role.MANAGER), refusals));
 * PeerIdentity caller = PeerIdentity.of(serverCall.getAttributes()).orElseThrow();  // interceptor
 * }</pre>
 */
package io.shoal.common.pki;
