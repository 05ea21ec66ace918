package io.shoal.common.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** Key pairs and checks on them. */
public final class Keys {
  private static final byte[] PROBE = "shoal key probe".getBytes(StandardCharsets.US_ASCII);

  private Keys() {}

  /** A new ECDSA key pair on P-256 (secp256r1): every key Shoal makes, the CA's and nodes'. */
  public static KeyPair newEcP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 unavailable", e);
    }
  }

  /** The JCA signature algorithm Shoal signs with using {@code key}. */
  static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm()
          + " (EC P-256 or RSA)");
    };
  }

  /**
   * Whether {@code privateKey} is the private half of {@code publicKey}: a probe signed with one
   * verifies with the other. Catches a key file that does not belong to its certificate.
   */
  public static boolean match(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    try {
      String algorithm = signatureAlgorithm(privateKey);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
