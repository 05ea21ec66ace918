package io.shoal.common.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM text of certificates, private keys and other DER blocks (BouncyCastle's reader and writer). */
public final class Pem {
  public static final String CERTIFICATE = "CERTIFICATE";
  public static final String PRIVATE_KEY = "PRIVATE KEY";
  public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";

  private Pem() {}

  /** One PEM block of {@code type} around {@code der}. */
  public static String encode(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * The DER of every block of {@code type} in {@code text}, in order; blocks of other types are
   * skipped.
   *
   * @throws IllegalArgumentException when the text is not PEM
   */
  public static List<byte[]> decodeAll(String text, String type) {
    List<byte[]> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(text))) {
      for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
        if (block.getType().equals(type)) {
          blocks.add(block.getContent());
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
    }
    return blocks;
  }

  /**
   * The DER of the only block of {@code type}.
   *
   * @throws IllegalArgumentException when there is none or more than one
   */
  public static byte[] decode(String text, String type) {
    List<byte[]> blocks = decodeAll(text, type);
    if (blocks.size() != 1) {
      throw new IllegalArgumentException("expected one PEM block " + type + ", found " + blocks.size());
    }
    return blocks.get(0);
  }

  public static String certificate(X509Certificate certificate) {
    try {
      return encode(CERTIFICATE, certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static String certificates(List<X509Certificate> chain) {
    StringBuilder out = new StringBuilder();
    chain.forEach(c -> out.append(certificate(c)));
    return out.toString();
  }

  /** Every certificate in {@code text}; at least one. */
  public static List<X509Certificate> parseCertificates(String text) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (byte[] der : decodeAll(text, CERTIFICATE)) {
      certificates.add(parseCertificate(der));
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no PEM block " + CERTIFICATE + " found");
    }
    return certificates;
  }

  /** The first certificate in {@code text}. */
  public static X509Certificate parseCertificate(String text) {
    return parseCertificates(text).get(0);
  }

  public static X509Certificate parseCertificate(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** {@code key} as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
  public static String privateKey(PrivateKey key) {
    return encode(PRIVATE_KEY, key.getEncoded());
  }

  /**
   * The private key in {@code text}: PKCS#8 ({@code PRIVATE KEY}) or OpenSSL's
   * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY}; unencrypted.
   */
  public static PrivateKey parsePrivateKey(String text) {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (block instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed private key PEM: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no unencrypted private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY) found");
  }
}
