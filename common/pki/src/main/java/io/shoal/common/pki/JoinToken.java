package io.shoal.common.pki;

import io.shoal.common.errors.InvalidArgumentException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * A join token in Swarm's format, {@code SWMTKN-1-<CA digest>-<secret>}: the SHA-256 of the
 * cluster's root certificate in base 36 (50 characters), so a joining node checks the manager's
 * CA before it sends anything, and 16 random bytes in base 36 (25 characters) that the manager
 * checks to admit the node in a role.
 *
 * <p>{@link #toString()} hides the secret; {@link #value()} is the whole token, for the one
 * place that prints it ({@code shoal cluster join-token}).
 */
public final class JoinToken {
  public static final String PREFIX = "SWMTKN";
  public static final String VERSION = "1";
  static final int SECRET_BYTES = 16;
  /** Characters of 16 bytes in base 36: ceil(128 / log2(36)). */
  public static final int SECRET_LENGTH = 25;
  /** {@code SWMTKN-1-}, the digest, {@code -}, the secret. */
  public static final int LENGTH = PREFIX.length() + 1 + VERSION.length() + 1 + CaDigest.BASE36_LENGTH + 1 + SECRET_LENGTH;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CaDigest caDigest;
  private final String secret;

  private JoinToken(CaDigest caDigest, String secret) {
    this.caDigest = caDigest;
    this.secret = secret;
  }

  /** A new token with a fresh random secret for the CA of {@code caDigest}. */
  public static JoinToken generate(CaDigest caDigest) {
    byte[] raw = new byte[SECRET_BYTES];
    RANDOM.nextBytes(raw);
    return new JoinToken(caDigest, CaDigest.leftPad(new BigInteger(1, raw).toString(36), SECRET_LENGTH));
  }

  /**
   * Reads a token as {@link #value()} writes it (surrounding whitespace ignored, so one read from
   * a file with a trailing newline works).
   *
   * @throws InvalidArgumentException (field {@code token}) saying what is wrong, never echoing the
   *     secret
   */
  public static JoinToken parse(String text) {
    String token = text == null ? "" : text.strip();
    String expected = "a join token is " + PREFIX + "-" + VERSION + "-<" + CaDigest.BASE36_LENGTH
        + " base-36 characters>-<" + SECRET_LENGTH + " base-36 characters> (" + LENGTH + " characters)";
    String[] parts = token.split("-", -1);
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      throw new InvalidArgumentException("token", "not a join token: " + expected);
    }
    if (!parts[1].equals(VERSION)) {
      throw new InvalidArgumentException("token", "version '" + abbreviate(parts[1]) + "' is not supported: " + expected);
    }
    CaDigest digest;
    try {
      digest = CaDigest.fromBase36(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("token", "its CA digest is malformed (" + e.getMessage() + "): " + expected);
    }
    if (parts[3].length() != SECRET_LENGTH || !parts[3].chars().allMatch(CaDigest::isBase36)) {
      throw new InvalidArgumentException("token", "its secret is malformed (" + parts[3].length()
          + " characters): " + expected);
    }
    return new JoinToken(digest, parts[3]);
  }

  private static String abbreviate(String part) {
    return part.length() <= 8 ? part : part.substring(0, 8) + "…";
  }

  /** The digest of the root certificate this token pins. */
  public CaDigest caDigest() {
    return caDigest;
  }

  /** The same CA with a new secret: the old token stops matching at once. */
  public JoinToken rotate() {
    return generate(caDigest);
  }

  /**
   * Checks the CA a manager presented against the one this token pins: what a joining node does
   * before it sends its CSR.
   *
   * @throws InvalidArgumentException (field {@code token}) naming both digests when they differ
   */
  public void verifyCa(RootCertificate presented) {
    verifyCa(presented.digest());
  }

  /** {@link #verifyCa(RootCertificate)} for a digest already computed. */
  public void verifyCa(CaDigest presented) {
    if (!caDigest.equals(presented)) {
      throw new InvalidArgumentException("token", "the CA of the manager does not match the token: expected "
          + caDigest + " got " + presented);
    }
  }

  /**
   * Whether {@code presented} is this token: same CA and same secret, the secret compared in
   * constant time.
   */
  public boolean matches(JoinToken presented) {
    return MessageDigest.isEqual(secret.getBytes(StandardCharsets.US_ASCII), presented.secret.getBytes(StandardCharsets.US_ASCII))
        & caDigest.equals(presented.caDigest);
  }

  /** The whole token, secret included: print only to whoever asked for it. */
  public String value() {
    return PREFIX + "-" + VERSION + "-" + caDigest.base36() + "-" + secret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JoinToken other && matches(other);
  }

  @Override
  public int hashCode() {
    return caDigest.hashCode();
  }

  /** The token with its secret hidden, safe for logs. */
  @Override
  public String toString() {
    return PREFIX + "-" + VERSION + "-" + caDigest.base36() + "-" + "*".repeat(SECRET_LENGTH);
  }
}
