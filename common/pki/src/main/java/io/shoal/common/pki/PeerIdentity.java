package io.shoal.common.pki;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.shoal.common.errors.InvalidArgumentException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Who a certificate says its holder is, as SwarmKit reads it: the node id in the common name (CN),
 * the {@link Role} in the organizational unit (OU) and the cluster id in the organization (O).
 * Only the CA writes these ({@link ClusterCa#issue}); a CSR's subject is ignored.
 *
 * <p>Reading an identity does not verify the certificate: on a TLS connection the handshake has
 * done that ({@link ClusterTrustManager}), elsewhere call {@link RootCertificate#verify} first.
 *
 * @param nodeId the node's id (or, for a CLI or service certificate, its name)
 * @param role what the holder may do
 * @param clusterId the cluster the certificate was issued for
 */
public record PeerIdentity(String nodeId, Role role, String clusterId) {
  /** At most 64 characters (X.520's bound on a CN), letters, digits, '.', '_' and '-'. */
  public static final int MAX_ID_LENGTH = 64;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_ID_LENGTH - 1) + "}");

  /** @throws InvalidArgumentException naming the field that is missing or malformed */
  public PeerIdentity {
    checkId("node_id", nodeId);
    checkId("cluster_id", clusterId);
    if (role == null) {
      throw new InvalidArgumentException("role", "must be " + Role.WORKER + " or " + Role.MANAGER);
    }
  }

  private static void checkId(String field, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new InvalidArgumentException(field, "must be 1 to " + MAX_ID_LENGTH
          + " letters, digits, '.', '_' or '-', starting with a letter or digit; got "
          + (value == null ? "nothing" : "'" + abbreviate(value) + "'"));
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= MAX_ID_LENGTH ? value : value.substring(0, MAX_ID_LENGTH) + "… (" + value.length() + " characters)";
  }

  /** The certificate subject that carries this identity: O=cluster, OU=role, CN=node. */
  X500Name subject() {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, clusterId)
        .addRDN(BCStyle.OU, role.organizationalUnit())
        .addRDN(BCStyle.CN, nodeId)
        .build();
  }

  /**
   * The identity in {@code certificate}'s subject.
   *
   * @throws IllegalArgumentException naming the subject when it lacks a node id, a Shoal role or
   *     a cluster id (a certificate Shoal's CA did not issue to a node)
   */
  public static PeerIdentity of(X509Certificate certificate) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    try {
      String ou = single(subject, BCStyle.OU, "OU");
      Role role = Role.fromOrganizationalUnit(ou).orElseThrow(() -> new IllegalArgumentException(
          "OU '" + ou + "' is not a Shoal role (" + Role.WORKER + " or " + Role.MANAGER + ")"));
      return new PeerIdentity(single(subject, BCStyle.CN, "CN"), role, single(subject, BCStyle.O, "O"));
    } catch (IllegalArgumentException | InvalidArgumentException e) {
      throw new IllegalArgumentException("certificate '" + certificate.getSubjectX500Principal()
          + "' carries no Shoal node identity: " + e.getMessage(), e);
    }
  }

  private static String single(X500Name name, ASN1ObjectIdentifier type, String label) {
    RDN[] rdns = name.getRDNs(type);
    if (rdns.length != 1 || rdns[0].isMultiValued()) {
      throw new IllegalArgumentException("expected one " + label + ", found " + rdns.length);
    }
    return IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  /** The identity in the first (leaf) certificate of a peer's chain. */
  public static PeerIdentity of(Certificate[] chain) {
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      throw new IllegalArgumentException("the peer presented no X.509 certificate");
    }
    return of(leaf);
  }

  /** The peer's identity on a TLS session, or empty when the peer presented no certificate. */
  public static Optional<PeerIdentity> of(SSLSession session) {
    try {
      return Optional.of(of(session.getPeerCertificates()));
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /**
   * The peer's identity on a gRPC call ({@code ServerCall.getAttributes()} in an interceptor), or
   * empty on a connection without TLS or without a client certificate.
   */
  public static Optional<PeerIdentity> of(Attributes transportAttributes) {
    SSLSession session = transportAttributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    return session == null ? Optional.empty() : of(session);
  }
}
