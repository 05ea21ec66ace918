package io.shoal.common.pki;

import io.shoal.common.errors.InvalidArgumentException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * What the CA writes into a node's certificate besides the CSR's key: the identity, how long it
 * is valid, and the addresses and names it may serve on (subject alternative names).
 *
 * @param identity node id, role and cluster id (CN, OU, O)
 * @param validity how long after issuing the certificate expires (default
 *     {@link #DEFAULT_VALIDITY}); at most until the root expires
 * @param ipAddresses IPv4 or IPv6 literals
 * @param dnsNames host names (RFC 1123)
 */
public record CertificateSpec(
    PeerIdentity identity, Duration validity, List<String> ipAddresses, List<String> dnsNames) {
  /** Swarm's default node certificate expiry. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);
  /** Addresses and names together: a node has a handful; each is sent in every handshake. */
  public static final int MAX_SUBJECT_ALT_NAMES = 32;
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /** @throws InvalidArgumentException naming the field that is out of bounds */
  public CertificateSpec {
    if (identity == null) {
      throw new InvalidArgumentException("identity", "must be given");
    }
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new InvalidArgumentException("validity", "must be positive; got " + validity);
    }
    ipAddresses = List.copyOf(ipAddresses);
    dnsNames = List.copyOf(dnsNames);
    if (ipAddresses.size() + dnsNames.size() > MAX_SUBJECT_ALT_NAMES) {
      throw new InvalidArgumentException("ip_addresses", (ipAddresses.size() + dnsNames.size())
          + " addresses and names, at most " + MAX_SUBJECT_ALT_NAMES);
    }
    for (String ip : ipAddresses) {
      if (!IPAddress.isValid(ip)) {
        throw new InvalidArgumentException("ip_addresses", "'" + ip + "' is not an IPv4 or IPv6 address");
      }
    }
    for (String name : dnsNames) {
      if (!HOST_NAME.matcher(name).matches()) {
        throw new InvalidArgumentException("dns_names", "'" + name + "' is not a host name (RFC 1123)");
      }
    }
  }

  /** {@code identity} for {@link #DEFAULT_VALIDITY}, with no addresses or names. */
  public static CertificateSpec of(PeerIdentity identity) {
    return new CertificateSpec(identity, DEFAULT_VALIDITY, List.of(), List.of());
  }

  public CertificateSpec withValidity(Duration validity) {
    return new CertificateSpec(identity, validity, ipAddresses, dnsNames);
  }

  public CertificateSpec withAddresses(List<String> ipAddresses, List<String> dnsNames) {
    return new CertificateSpec(identity, validity, ipAddresses, dnsNames);
  }
}
