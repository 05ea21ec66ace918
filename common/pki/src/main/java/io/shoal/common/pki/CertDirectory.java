package io.shoal.common.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory of TLS files named as Docker names them in {@code DOCKER_CERT_PATH}: {@code ca.pem}
 * (the root), {@code cert.pem} (the node's or CLI's certificate) and {@code key.pem} (its private
 * key, 0600). The agent and the CLI keep their credentials this way.
 *
 * @param directory where the files are
 */
public record CertDirectory(Path directory) {
  public static final String CA_FILE = "ca.pem";
  public static final String CERT_FILE = "cert.pem";
  public static final String KEY_FILE = "key.pem";

  /** The contents: the root trusted and the credentials presented. */
  public record Contents(RootCertificate root, NodeCredentials credentials) {}

  /** Whether the three files are there. */
  public boolean exists() {
    return Files.isRegularFile(directory.resolve(CA_FILE)) && Files.isRegularFile(directory.resolve(CERT_FILE))
        && Files.isRegularFile(directory.resolve(KEY_FILE));
  }

  /**
   * Writes the three files, each atomically; the key first, so a reader never pairs a new
   * certificate with an old key for long (renewal makes a new key).
   */
  public void write(RootCertificate root, NodeCredentials credentials) {
    AtomicFiles.writeAtomically(directory.resolve(KEY_FILE), Pem.privateKey(credentials.privateKey()), true);
    List<X509Certificate> chain = new ArrayList<>(credentials.chain());
    chain.remove(root.certificate());
    AtomicFiles.writeAtomically(directory.resolve(CERT_FILE), Pem.certificates(chain), false);
    AtomicFiles.writeAtomically(directory.resolve(CA_FILE), root.pem(), false);
  }

  /**
   * Reads the three files. Does not check validity or issuer: call {@link RootCertificate#verify}
   * with the leaf to know whether they can still be used.
   *
   * @throws IllegalArgumentException naming the directory when a file is malformed or the key
   *     does not belong to the certificate
   * @throws java.io.UncheckedIOException when a file cannot be read
   */
  public Contents read() {
    try {
      RootCertificate root = RootCertificate.fromPem(AtomicFiles.read(directory.resolve(CA_FILE)));
      List<X509Certificate> chain = new ArrayList<>(Pem.parseCertificates(AtomicFiles.read(directory.resolve(CERT_FILE))));
      if (!chain.contains(root.certificate())) {
        chain.add(root.certificate());
      }
      return new Contents(root,
          new NodeCredentials(Pem.parsePrivateKey(AtomicFiles.read(directory.resolve(KEY_FILE))), chain));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(directory + ": " + e.getMessage(), e);
    }
  }
}
