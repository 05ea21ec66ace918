package io.shoal.common.pki;

import io.shoal.common.errors.ShoalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster key: 32 bytes for AES-256-GCM that seal what must never be stored in the clear
 * (the CA's private key here; registry credentials and secrets elsewhere). Its file holds the
 * base64 of the 32 bytes, the format the registry service reads today
 * (`head -c 32 /dev/urandom | base64`). Shoal never writes it and never puts it in etcd.
 *
 * <p>A {@link Sealed} value carries the key's {@link #id()}, so a value sealed under another key
 * is named as such instead of failing as "corrupt".
 *
 * <p>Thread-safe: a new {@link Cipher} per call.
 */
public final class ClusterKey {
  public static final int KEY_BYTES = 32;
  static final int ID_BYTES = 8;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final byte FORMAT_VERSION = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final byte[] id;

  private ClusterKey(byte[] raw) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("the cluster key must be " + KEY_BYTES + " bytes (base64 of "
          + KEY_BYTES + " random bytes, e.g. `head -c 32 /dev/urandom | base64`); got " + raw.length);
    }
    this.key = new SecretKeySpec(raw, "AES");
    try {
      this.id = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(raw), ID_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A key from its base64 text (surrounding whitespace ignored). */
  public static ClusterKey fromBase64(String text) {
    try {
      return new ClusterKey(Base64.getDecoder().decode(text.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cluster key: " + e.getMessage(), e);
    }
  }

  /** A key from a file holding its base64 text. */
  public static ClusterKey fromFile(Path file) {
    try {
      return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster key file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The key a service was given: from {@code file} (its --cluster-key-file) when there is one,
   * else from the environment variable SHOAL_CLUSTER_KEY (base64); empty when neither. Never
   * from etcd.
   */
  public static Optional<ClusterKey> fromFileOrEnvironment(Path file) {
    if (file != null) {
      return Optional.of(fromFile(file));
    }
    String env = System.getenv("SHOAL_CLUSTER_KEY");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(fromBase64(env));
  }

  /** A fresh random key, for tests and bootstrapping. */
  public static ClusterKey generate() {
    byte[] raw = new byte[KEY_BYTES];
    RANDOM.nextBytes(raw);
    return new ClusterKey(raw);
  }

  /** Which key this is: the first 8 bytes of its SHA-256, in hex. Not a secret. */
  public String id() {
    return HexFormat.of().formatHex(id);
  }

  /**
   * A sealed value: the id of the key that sealed it, a random nonce and the ciphertext with its
   * GCM tag. {@link #encode()} gives one byte string (version, key id, nonce, ciphertext).
   */
  public record Sealed(byte[] keyId, byte[] nonce, byte[] ciphertext) {
    /** Version 1, the 8-byte key id, the 12-byte nonce, then the ciphertext and tag. */
    public byte[] encode() {
      return ByteBuffer.allocate(1 + keyId.length + nonce.length + ciphertext.length)
          .put(FORMAT_VERSION).put(keyId).put(nonce).put(ciphertext).array();
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws ShoalException FAILED_PRECONDITION when it is not such a value
     */
    public static Sealed decode(byte[] encoded, String what) {
      int header = 1 + ID_BYTES + NONCE_BYTES;
      if (encoded.length < header + TAG_BITS / 8 || encoded[0] != FORMAT_VERSION) {
        throw ShoalException.failedPrecondition(what + " is not a value sealed by Shoal (format "
            + FORMAT_VERSION + ", " + encoded.length + " bytes)");
      }
      return new Sealed(
          Arrays.copyOfRange(encoded, 1, 1 + ID_BYTES),
          Arrays.copyOfRange(encoded, 1 + ID_BYTES, header),
          Arrays.copyOfRange(encoded, header, encoded.length));
    }
  }

  /** Encrypts {@code plaintext}, binding {@code associatedData} (not stored, needed to open). */
  public Sealed seal(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      return new Sealed(id.clone(), nonce, cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Decrypts {@code sealed}, which must have been sealed by this key with this associated data.
   *
   * @param what names the value in the error, e.g. "the CA key in /var/lib/shoal/ca"
   * @throws ShoalException FAILED_PRECONDITION naming both keys when another key sealed it, or
   *     saying it was altered (or sealed for another object) when the tag does not match
   */
  public byte[] open(Sealed sealed, byte[] associatedData, String what) {
    if (!MessageDigest.isEqual(sealed.keyId(), id)) {
      throw ShoalException.failedPrecondition(what + " was sealed under cluster key "
          + HexFormat.of().formatHex(sealed.keyId()) + ", not under this cluster key " + id()
          + " (is the cluster key file the one this cluster was created with?)");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed.ciphertext());
    } catch (AEADBadTagException e) {
      throw ShoalException.failedPrecondition(what + " cannot be decrypted with cluster key " + id()
          + " (altered, or sealed for another object)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterKey[" + id() + "]";
  }
}
