package io.shoal.dispatcher;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSession;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.Txn;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.time.Timestamps;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what a node reports, in its own key {@code node_registrations/<id>} (the dispatcher is
 * its only writer): READY with its description, and a session key on the session's lease, when
 * an agent registers; DOWN once the session key is gone (lease lapsed or revoked). The node's
 * spec is control's: it gives a newly registered node one under {@code nodes/<id>}.
 */
@Singleton
final class NodeRegistrar {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistrar.class);

  private final EtcdStore store;
  private final Clock clock;

  @Inject
  NodeRegistrar(EtcdStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** @throws ShoalException PERMISSION_DENIED for a node removed by `node rm` */
  void requireNotRevoked(String nodeId) {
    if (store.get(Tables.REVOKED_NODES, nodeId).isPresent()) {
      throw revoked(nodeId);
    }
  }

  static ShoalException revoked(String nodeId) {
    return new ShoalException(Status.Code.PERMISSION_DENIED, "node " + nodeId + " was removed from the cluster"
        + " (node rm); join it again with a join token (`shoal cluster join-token worker`)");
  }

  /**
   * Forgets a removed node: its registration and session keys go (so the scheduler moves its
   * tasks, and the registry service refuses its session); retried on a concurrent change.
   */
  void remove(String nodeId) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<NodeRegistration> registration = store.get(Tables.NODE_REGISTRATIONS, nodeId);
      Optional<NodeSession> session = store.get(Tables.SESSIONS, nodeId);
      if (registration.isEmpty() && session.isEmpty()) {
        return;
      }
      Txn txn = store.txn();
      registration.ifPresent(r -> txn.delete(Tables.NODE_REGISTRATIONS, nodeId, r.getVersion()));
      session.ifPresent(s -> txn.delete(Tables.SESSIONS, nodeId, s.getVersion()));
      try {
        txn.commit();
        log.info("node {} was removed from the cluster: registration dropped, session ended", nodeId);
        return;
      } catch (ConflictException e) {
        log.debug("node {} changed while being forgotten; again", nodeId);
      }
    }
    log.warn("could not drop the registration of removed node {} after 10 attempts", nodeId);
  }

  void register(String nodeId, NodeDescription description, NodeSession session, long leaseId) {
    for (int attempt = 0; ; attempt++) {
      Optional<NodeRegistration> current = store.get(Tables.NODE_REGISTRATIONS, nodeId);
      NodeStatus ready = NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY).setTimestamp(now()).build();
      var txn = store.txn().putBytes(Tables.SESSIONS.name() + "/" + nodeId, session.toByteArray(), leaseId)
          .requireAbsent(EtcdStore.keyOf(Tables.REVOKED_NODES, nodeId));
      if (current.isPresent()) {
        NodeRegistration node = current.get().toBuilder().setDescription(description).setStatus(ready).build();
        txn.update(Tables.NODE_REGISTRATIONS, nodeId, node, current.get().getVersion());
      } else {
        NodeRegistration node = NodeRegistration.newBuilder().setId(nodeId).setDescription(description)
            .setStatus(ready).setCreateTime(now()).build();
        txn.create(Tables.NODE_REGISTRATIONS, nodeId, node);
      }
      try {
        txn.commit();
        log.info("node {} ({}, {}) is READY", nodeId, description.getHostname(), description.getAddr());
        return;
      } catch (ConflictException e) {
        requireNotRevoked(nodeId);
        if (attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /** Marks the node DOWN unless a new session has started meanwhile. */
  void markDown(String nodeId, String why) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Optional<NodeRegistration> current = store.get(Tables.NODE_REGISTRATIONS, nodeId);
      if (current.isEmpty() || current.get().getStatus().getState() == NodeState.NODE_STATE_DOWN) {
        return;
      }
      NodeRegistration down = current.get().toBuilder().setStatus(NodeStatus.newBuilder()
          .setState(NodeState.NODE_STATE_DOWN).setMessage(why).setTimestamp(now())).build();
      try {
        store.txn().update(Tables.NODE_REGISTRATIONS, nodeId, down, current.get().getVersion())
            .requireAbsent(Tables.SESSIONS.name() + "/" + nodeId).commit();
        log.info("node {} ({}) is DOWN: {}", nodeId, current.get().getDescription().getHostname(), why);
        return;
      } catch (ConflictException e) {
        if (store.get(Tables.SESSIONS, nodeId).isPresent()) {
          return;
        }
      }
    }
  }

  private Timestamp now() {
    return Timestamps.now(clock);
  }
}
