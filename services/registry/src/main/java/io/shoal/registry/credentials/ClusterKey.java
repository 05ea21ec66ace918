package io.shoal.registry.credentials;

import io.shoal.common.errors.ShoalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster key that seals registry credentials at rest: 32 bytes for AES-256-GCM, read from a
 * file or the environment (base64), never from etcd and never written anywhere by Shoal. Its
 * {@link #id()} (a hash prefix) is stored beside each sealed value so a value sealed under
 * another key is named as such instead of failing as "corrupt".
 *
 * <p>Thread-safe: a new {@link Cipher} per call.
 */
public final class ClusterKey {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final String id;

  private ClusterKey(byte[] raw) {
    if (raw.length != KEY_BYTES) {
      throw new IllegalArgumentException("the cluster key must be " + KEY_BYTES + " bytes (base64 of "
          + KEY_BYTES + " random bytes, e.g. `head -c 32 /dev/urandom | base64`); got " + raw.length);
    }
    this.key = new SecretKeySpec(raw, "AES");
    try {
      this.id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
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
    }
  }

  /** A fresh random key, for tests and for `deploy/dev.sh`-like bootstrapping. */
  public static ClusterKey generate() {
    byte[] raw = new byte[KEY_BYTES];
    RANDOM.nextBytes(raw);
    return new ClusterKey(raw);
  }

  /** Which key this is: the first 8 bytes of its SHA-256, in hex. Not a secret. */
  public String id() {
    return id;
  }

  /** A sealed value: a random nonce and the ciphertext with its GCM tag. */
  public record Sealed(byte[] nonce, byte[] ciphertext) {}

  /** Encrypts {@code plaintext}, binding {@code associatedData} (not stored, needed to open). */
  public Sealed seal(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      return new Sealed(nonce, cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Decrypts; FAILED_PRECONDITION when the value was not sealed by this key with this associated
   * data (tampered with, moved to another key, or sealed under another cluster key).
   */
  public byte[] open(Sealed sealed, byte[] associatedData, String what) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
      cipher.updateAAD(associatedData);
      return cipher.doFinal(sealed.ciphertext());
    } catch (AEADBadTagException e) {
      throw ShoalException.failedPrecondition(what + " cannot be decrypted with cluster key " + id
          + " (altered, or sealed for another object); set them again with --with-registry-auth");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterKey[" + id + "]";
  }
}
