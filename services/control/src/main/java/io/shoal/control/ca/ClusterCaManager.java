package io.shoal.control.ca;

import io.shoal.api.v1.SealedClusterCa;
import io.shoal.api.v1.SealedJoinTokens;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.JoinTokens;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.RootCertificate;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster CA and the two join tokens, kept by control in etcd: {@code cluster/ca} (the root
 * certificate and the CA key sealed under the cluster key) and {@code cluster/join_tokens} (both
 * tokens, sealed too). Nothing secret is stored in the clear, and the cluster key never leaves
 * this process.
 *
 * <p>{@link #start()} loads the CA, or creates it with its tokens in one transaction that
 * requires both keys absent: of controls starting at once, one commits and the others load its
 * CA. The CA is then held in memory (it never changes: CA rotation is not built); the tokens are
 * read from etcd on every call, since another control may have rotated one.
 *
 * <p>Without a cluster key there is no CA: every call is FAILED_PRECONDITION saying so.
 */
public final class ClusterCaManager {
  private static final Logger log = LoggerFactory.getLogger(ClusterCaManager.class);
  static final String CA_ID = "ca";
  static final String TOKENS_ID = "join_tokens";
  /** Each lost race means another control created the CA; the next read finds it. */
  static final int MAX_ATTEMPTS = 3;

  private final EtcdStore store;
  private final Optional<ClusterKey> key;
  private final Optional<Path> pkiDir;
  private final Clock clock;
  private volatile ClusterCa ca;

  public ClusterCaManager(EtcdStore store, Optional<ClusterKey> key, Clock clock) {
    this(store, key, Optional.empty(), clock);
  }

  /**
   * @param pkiDir where {@code shoal-control ca init} made the CA offline (etcd's certificate
   *     comes from it): adopted into etcd when etcd has none, and required to be etcd's otherwise
   */
  public ClusterCaManager(EtcdStore store, Optional<ClusterKey> key, Optional<Path> pkiDir, Clock clock) {
    this.store = store;
    this.key = key;
    this.pkiDir = pkiDir;
    this.clock = clock;
  }

  /**
   * Loads the cluster's CA from etcd, creating it and its tokens if the cluster has none (or
   * storing the one of {@code --pki-dir}).
   *
   * @throws ShoalException FAILED_PRECONDITION when the stored CA or tokens do not open with this
   *     cluster key (naming both key ids), or etcd holds another CA than {@code --pki-dir}'s
   *     (naming both digests): control must not start
   */
  public void start() {
    if (key.isEmpty()) {
      if (pkiDir.isPresent()) {
        throw ShoalException.failedPrecondition("--pki-dir " + pkiDir.get() + " needs the cluster key that seals"
            + " its CA's key: give --cluster-key-file FILE (or SHOAL_CLUSTER_KEY)");
      }
      log.warn("no cluster key (--cluster-key-file): no cluster CA, and no join tokens");
      return;
    }
    Optional<ClusterCa> offline = pkiDir.map(dir -> ClusterCa.load(dir, key.get()));
    for (int attempt = 1; ; attempt++) {
      Optional<SealedClusterCa> stored = store.get(Tables.CLUSTER_CA, CA_ID);
      if (stored.isPresent()) {
        ClusterCa loaded = open(stored.get());
        if (offline.isPresent() && !offline.get().root().equals(loaded.root())) {
          throw ShoalException.failedPrecondition("the cluster CA in etcd is " + loaded.root().digest()
              + " but --pki-dir " + pkiDir.get() + " holds " + offline.get().root().digest()
              + ": give control the pki directory its cluster was made with");
        }
        ca = loaded;
        tokens(ca); // opens them too: a wrong key must stop the start, not the first call
        log.info("cluster CA {} loaded; its key is sealed under cluster key {}", ca.root().digest(), key.get().id());
        return;
      }
      ClusterCa created = offline.orElseGet(() -> ClusterCa.create(clock.instant()));
      JoinTokens tokens = JoinTokens.generate(created.root());
      Txn txn = store.txn().create(Tables.CLUSTER_CA, CA_ID, SealedClusterCa.newBuilder()
          .setCertificatePem(created.root().pem())
          .setSealedKeyPem(created.sealedKeyPem(key.get())).build());
      // Tokens left without their CA (a key removed by hand) pin a CA that is gone: replace them.
      Optional<SealedJoinTokens> orphans = store.get(Tables.JOIN_TOKENS, TOKENS_ID);
      SealedJoinTokens sealed = JoinTokenSeal.seal(tokens, created.root(), key.get());
      if (orphans.isPresent()) {
        txn.update(Tables.JOIN_TOKENS, TOKENS_ID, sealed, orphans.get().getVersion());
      } else {
        txn.create(Tables.JOIN_TOKENS, TOKENS_ID, sealed);
      }
      try {
        txn.commit();
        ca = created;
        log.info("{} the cluster CA {} and its join tokens; its key is sealed under cluster key {}",
            offline.isPresent() ? "stored (from --pki-dir)" : "created", created.root().digest(), key.get().id());
        return;
      } catch (ConflictException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw new ConflictException("the cluster CA kept changing in etcd while control created it; restart control");
        }
      }
    }
  }

  private ClusterCa open(SealedClusterCa stored) {
    try {
      return ClusterCa.fromPem(stored.getCertificatePem(), stored.getSealedKeyPem(), key.get());
    } catch (IllegalArgumentException e) {
      throw ShoalException.failedPrecondition("the cluster CA in etcd (" + store.root() + Tables.CLUSTER + "/"
          + CA_ID + ") is not a root certificate and a sealed key: " + e.getMessage());
    }
  }

  /** The root certificate: public. */
  public RootCertificate root() {
    return requireCa().root();
  }

  /** The CA itself, to issue node certificates. */
  public ClusterCa ca() {
    return requireCa();
  }

  /**
   * The join token of {@code role}, after replacing it with a new one when {@code rotate}: the
   * old token admits no node from the rotation's commit on.
   *
   * @throws ConflictException (ABORTED) when another rotation committed between the read and
   *     this one's write
   */
  public JoinToken joinToken(Role role, boolean rotate) {
    ClusterCa current = requireCa();
    if (!rotate) {
      return tokens(current).forRole(role);
    }
    SealedJoinTokens stored = storedTokens(current);
    JoinTokens rotated = JoinTokenSeal.open(stored, current.root(), key.get()).rotate(role);
    try {
      store.txn().update(Tables.JOIN_TOKENS, TOKENS_ID, JoinTokenSeal.seal(rotated, current.root(), key.get()),
          stored.getVersion()).commit();
    } catch (ConflictException e) {
      throw new ConflictException("the join tokens were rotated by another call meanwhile; ask again");
    }
    log.info("rotated the {} join token", role == Role.MANAGER ? "manager" : "worker");
    return rotated.forRole(role);
  }

  /** Both tokens as etcd holds them now. */
  public JoinTokens tokens() {
    return tokens(requireCa());
  }

  private JoinTokens tokens(ClusterCa current) {
    return JoinTokenSeal.open(storedTokens(current), current.root(), key.get());
  }

  /** The stored tokens; new ones if they were removed by hand (only the first of two racing writes lands). */
  private SealedJoinTokens storedTokens(ClusterCa current) {
    for (int attempt = 1; ; attempt++) {
      Optional<SealedJoinTokens> stored = store.get(Tables.JOIN_TOKENS, TOKENS_ID);
      if (stored.isPresent()) {
        return stored.get();
      }
      try {
        store.txn().create(Tables.JOIN_TOKENS, TOKENS_ID,
            JoinTokenSeal.seal(JoinTokens.generate(current.root()), current.root(), key.get())).commit();
        log.warn("the join tokens were missing from etcd: made new ones");
      } catch (ConflictException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private ClusterCa requireCa() {
    ClusterCa current = ca;
    if (current == null) {
      throw ShoalException.failedPrecondition(key.isEmpty()
          ? "control runs without a cluster key, so the cluster has no CA: start control with"
              + " --cluster-key-file FILE (or SHOAL_CLUSTER_KEY), the registry service's key"
          : "control has not loaded the cluster CA yet");
    }
    return current;
  }
}
