package io.shoal.registry.credentials;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.shoal.api.v1.NodeSession;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.registry.RegistryAddress;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.task.TaskStates;
import io.shoal.common.registry.ImageReference;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry credentials of services, sealed with the {@link ClusterKey} (by {@link #seal}) and
 * stored by control under {@code credentials/<service id>} in the service's own transaction.
 * Plain credentials exist only in memory, for a resolution or on their way to a node agent; they
 * are never logged.
 *
 * <p>A node agent gets a service's credentials only through {@link #forPull}, which checks in
 * etcd that the caller holds the node's live dispatcher session (the session's secret, whose
 * hash only is in etcd) and that the task runs there.
 */
public final class CredentialStore {
  private static final Logger log = LoggerFactory.getLogger(CredentialStore.class);

  private final EtcdStore store;
  private final Optional<ClusterKey> key;

  /** {@code key} empty: resolution works, but credentials can be neither sealed nor handed out. */
  public CredentialStore(EtcdStore store, Optional<ClusterKey> key) {
    this.store = store;
    this.key = key;
  }

  /**
   * Seals {@code auth} as the credentials of {@code serviceId} (the id is bound in as associated
   * data, so the value opens for that service only). Writes nothing: control stores the value
   * with the service.
   */
  public SealedCredentials seal(String serviceId, RegistryAuth auth) {
    if (serviceId.isEmpty()) {
      throw new InvalidArgumentException("service_id", "must be provided");
    }
    if (auth.getUsername().isEmpty()) {
      throw new InvalidArgumentException("auth.username", "must be provided");
    }
    if (auth.getServerAddress().isEmpty()) {
      throw new InvalidArgumentException("auth.server_address", "must be provided");
    }
    ClusterKey k = requireKey();
    RegistryAuth normalized = auth.toBuilder().setServerAddress(RegistryAddress.normalize(auth.getServerAddress())).build();
    ClusterKey.Sealed sealed = k.seal(normalized.toByteArray(), serviceId.getBytes(UTF_8));
    log.info("sealed registry credentials of service {} for {} with cluster key {}",
        serviceId, normalized.getServerAddress(), k.id());
    return SealedCredentials.newBuilder()
        .setServerAddress(normalized.getServerAddress())
        .setKeyId(k.id())
        .setNonce(ByteString.copyFrom(sealed.nonce()))
        .setCiphertext(ByteString.copyFrom(sealed.ciphertext()))
        .build();
  }

  /** The credentials of {@code serviceId}, decrypted; empty when it has none. */
  public Optional<RegistryAuth> get(String serviceId) {
    Optional<SealedCredentials> sealed = store.get(Tables.CREDENTIALS, serviceId);
    if (sealed.isEmpty()) {
      return Optional.empty();
    }
    ClusterKey k = requireKey();
    SealedCredentials s = sealed.get();
    String what = "the registry credentials of service " + serviceId;
    if (!s.getKeyId().equals(k.id())) {
      throw ShoalException.failedPrecondition(what + " were sealed with cluster key " + s.getKeyId()
          + ", but this registry service has key " + k.id()
          + "; start it with the key they were sealed with, or set them again with --with-registry-auth");
    }
    byte[] plain = k.open(new ClusterKey.Sealed(s.getNonce().toByteArray(), s.getCiphertext().toByteArray()),
        serviceId.getBytes(UTF_8), what);
    try {
      return Optional.of(RegistryAuth.parseFrom(plain));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(what + " decrypt to something that is not a RegistryAuth", e);
    }
  }

  /**
   * The credentials a node agent needs to pull the image of {@code taskId}: PERMISSION_DENIED
   * unless {@code sessionSecret} is the secret of the node's current dispatcher session (its
   * SHA-256 matches the one in etcd) and the task is assigned to {@code nodeId} and should run;
   * empty when the task's service has no credentials for its image's registry.
   */
  public Optional<RegistryAuth> forPull(String nodeId, String sessionSecret, String taskId) {
    if (nodeId.isEmpty() || sessionSecret.isEmpty() || taskId.isEmpty()) {
      throw new InvalidArgumentException(
          nodeId.isEmpty() ? "node_id" : sessionSecret.isEmpty() ? "session_secret" : "task_id", "must be provided");
    }
    Optional<NodeSession> session = store.get(Tables.SESSIONS, nodeId);
    byte[] stored = session.map(s -> s.getSessionSecretSha256().toByteArray()).orElse(new byte[0]);
    if (stored.length == 0 || !MessageDigest.isEqual(stored, sha256(sessionSecret))) {
      log.warn("refused pull credentials for task {} to node {}: not the node's current session", taskId, nodeId);
      throw denied("node " + nodeId + " has no live dispatcher session with that secret; register again");
    }
    Task task = store.get(Tables.TASKS, taskId)
        .orElseThrow(() -> denied("task " + taskId + " does not exist"));
    if (!task.getNodeId().equals(nodeId)) {
      log.warn("refused pull credentials for task {} to node {}: the task is assigned to {}", taskId, nodeId,
          task.getNodeId().isEmpty() ? "no node" : task.getNodeId());
      throw denied("task " + taskId + " is not assigned to node " + nodeId);
    }
    if (task.getDesiredState() != TaskState.TASK_STATE_RUNNING
        || TaskStates.terminal(task.getStatus().getState())) {
      throw denied("task " + taskId + " is not meant to run any more");
    }
    Optional<RegistryAuth> auth = get(task.getServiceId());
    if (auth.isEmpty()) {
      return Optional.empty();
    }
    String registry = ImageReference.parse(task.getSpec().getContainer().getImage(), "ContainerSpec.image").registry();
    if (!auth.get().getServerAddress().equals(registry)) {
      log.info("service {} has credentials for {}, not for {} where task {} pulls from; none given",
          task.getServiceId(), auth.get().getServerAddress(), registry, taskId);
      return Optional.empty();
    }
    log.info("handing pull credentials of service {} for {} to node {} (task {})",
        task.getServiceId(), registry, nodeId, taskId);
    return auth;
  }

  /** SHA-256 of a session secret, as the dispatcher stores it in NodeSession. */
  public static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private ClusterKey requireKey() {
    return key.orElseThrow(() -> ShoalException.failedPrecondition(
        "the registry service has no cluster key, so it cannot keep registry credentials; start it with"
            + " --cluster-key-file FILE or SHOAL_CLUSTER_KEY (base64 of 32 random bytes)"));
  }

  private static ShoalException denied(String why) {
    return new ShoalException(Status.Code.PERMISSION_DENIED, "pull credentials refused: " + why);
  }
}
