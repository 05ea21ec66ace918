package io.shoal.common.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The SHA-256 of a root certificate's DER encoding: what `shoal cluster ca` prints
 * ({@code sha256:<64 hex>}) and what a join token pins (in base 36, 50 characters, as SwarmKit).
 */
public final class CaDigest {
  /** Characters of a SHA-256 in base 36: ceil(256 / log2(36)). */
  public static final int BASE36_LENGTH = 50;
  private static final int BYTES = 32;

  private final byte[] sha256;

  private CaDigest(byte[] sha256) {
    this.sha256 = sha256;
  }

  /** The digest of {@code certificate}'s DER encoding. */
  public static CaDigest of(X509Certificate certificate) {
    try {
      return new CaDigest(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * The digest written as {@link #base36()} writes it: exactly {@value #BASE36_LENGTH} characters
   * {@code [0-9a-z]} with a value below 2^256.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static CaDigest fromBase36(String text) {
    if (text.length() != BASE36_LENGTH || !text.chars().allMatch(CaDigest::isBase36)) {
      throw new IllegalArgumentException("a CA digest is " + BASE36_LENGTH + " base-36 characters [0-9a-z]");
    }
    BigInteger value = new BigInteger(text, 36);
    if (value.bitLength() > BYTES * 8) {
      throw new IllegalArgumentException("the CA digest is larger than a SHA-256");
    }
    byte[] raw = value.toByteArray();
    byte[] sha256 = new byte[BYTES];
    // toByteArray may add a sign byte or drop leading zeros: keep the low 32 bytes.
    int copy = Math.min(raw.length, BYTES);
    System.arraycopy(raw, raw.length - copy, sha256, BYTES - copy, copy);
    return new CaDigest(sha256);
  }

  static boolean isBase36(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
  }

  /** The digest in base 36, left-padded with zeros to {@value #BASE36_LENGTH} characters. */
  public String base36() {
    return leftPad(new BigInteger(1, sha256).toString(36), BASE36_LENGTH);
  }

  /** The digest in lower-case hex, 64 characters. */
  public String hex() {
    return HexFormat.of().formatHex(sha256);
  }

  static String leftPad(String digits, int length) {
    return "0".repeat(Math.max(0, length - digits.length())) + digits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CaDigest other && MessageDigest.isEqual(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(sha256);
  }

  /** {@code sha256:<hex>}, as `shoal cluster ca` prints it. */
  @Override
  public String toString() {
    return "sha256:" + hex();
  }
}
