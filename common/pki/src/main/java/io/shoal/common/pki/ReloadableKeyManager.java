package io.shoal.common.pki;

import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the node's current credentials in every handshake; {@link #update} swaps them (a
 * renewed certificate) and the next handshake presents the new ones, without restarting a server
 * or rebuilding a channel. Connections already open keep the certificate they started with.
 *
 * <p>Each swap gets a new alias, and the alias a handshake chose still names the same key and
 * chain after a swap (the previous generation is kept), so a handshake that reads the chain and
 * the key in two calls never pairs a new certificate with an old key.
 *
 * <p>Thread-safe: handshakes read volatile fields without locks; updates are serialised.
 */
public final class ReloadableKeyManager extends X509ExtendedKeyManager {
  private record Generation(String alias, NodeCredentials credentials) {}

  private volatile Generation current;
  private volatile Generation previous;
  /** Guarded by {@code this}. */
  private long generations;

  /** One per certificate directory and process ({@link #forDirectory}). */
  private static final Map<Path, ReloadableKeyManager> BY_DIRECTORY = new ConcurrentHashMap<>();

  /**
   * The key manager of certificate directory {@code directory} in this process, presenting
   * {@code read} (what was just read from it, the newest there is). Every TLS context built from
   * one directory (a service's gRPC and its etcd client) shares it, so a renewal
   * ({@link CertificateRenewer} rewrites the files, then updates it) reaches them all.
   */
  public static ReloadableKeyManager forDirectory(Path directory, NodeCredentials read) {
    ReloadableKeyManager keys = BY_DIRECTORY.computeIfAbsent(directory.toAbsolutePath().normalize(),
        d -> new ReloadableKeyManager(read));
    synchronized (keys) {
      if (!keys.credentials().certificate().equals(read.certificate())) {
        keys.update(read);
      }
    }
    return keys;
  }

  public ReloadableKeyManager(NodeCredentials initial) {
    this.current = new Generation(alias(0), initial);
    this.previous = current;
  }

  private static String alias(long generation) {
    return "shoal-node-" + generation;
  }

  /** The credentials the next handshake presents. */
  public NodeCredentials credentials() {
    return current.credentials();
  }

  /** Makes {@code next} the credentials of every later handshake. */
  public synchronized void update(NodeCredentials next) {
    previous = current;
    current = new Generation(alias(++generations), next);
  }

  private String choose(String[] keyTypes) {
    Generation generation = current;
    String algorithm = generation.credentials().privateKey().getAlgorithm();
    // JSSE asks per key type ("EC", "RSA"; OpenSSL's "EC_EC", "EC_RSA"): answer only for ours.
    boolean fits = keyTypes == null || Arrays.stream(keyTypes)
        .anyMatch(type -> type == null || type.equals(algorithm) || type.startsWith(algorithm + "_"));
    return fits ? generation.alias() : null;
  }

  private NodeCredentials credentials(String alias) {
    Generation now = current;
    if (now.alias().equals(alias)) {
      return now.credentials();
    }
    Generation before = previous;
    return before.alias().equals(alias) ? before.credentials() : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = choose(new String[] {keyType});
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(new String[] {keyType});
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(new String[] {keyType});
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    NodeCredentials credentials = credentials(alias);
    return credentials == null ? null : credentials.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    NodeCredentials credentials = credentials(alias);
    return credentials == null ? null : credentials.privateKey();
  }
}
