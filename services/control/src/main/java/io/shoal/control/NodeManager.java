package io.shoal.control;

import io.shoal.control.limits.SpecLimits;
import io.shoal.control.paging.TablePager;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.RevokedNode;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.objects.NodeViews;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.common.time.Timestamps;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nodes as the user sees them (`shoal node ls|inspect|update`). Control is the only writer of a
 * node's spec, {@code nodes/<id>} (availability, labels); the dispatcher writes what the node
 * reports under {@code node_registrations/<id>}, and every read lays that over the spec
 * (NodeViews). A node's version is its spec's: a node update is guarded by it, and a status
 * change does not make a user's update stale.
 */
public final class NodeManager {
  private final EtcdStore store;
  private final TablePager pages;

  @Inject
  public NodeManager(EtcdStore store) {
    this.store = store;
    this.pages = new TablePager(store);
  }

  /** One page of nodes, in id order: every node control has given a spec. */
  public TablePager.Page<Node> list(int pageSize, String pageToken) {
    TablePager.Page<Node> page = pages.page(Tables.NODES,
        new TablePager.Request("", pageSize, pageToken), "", n -> true);
    Map<String, NodeRegistration> registrations = pages.alongside(page, Tables.NODE_REGISTRATIONS);
    return page.map(n -> NodeViews.merge(n, registrations.get(n.getId())));
  }

  /** By id, hostname, or unique id prefix, as Docker resolves node references. */
  public Node find(String reference) {
    if (reference.isEmpty()) {
      throw new InvalidArgumentException("node", "a node id or hostname must be provided");
    }
    Optional<Node> byId = get(reference);
    if (byId.isPresent()) {
      return byId.get();
    }
    List<Node> all = all();
    List<Node> byHostname = all.stream().filter(n -> n.getDescription().getHostname().equals(reference)).toList();
    if (byHostname.size() == 1) {
      return byHostname.get(0);
    }
    if (byHostname.size() > 1) {
      throw new InvalidArgumentException("node", "hostname " + reference + " is ambiguous ("
          + byHostname.size() + " nodes); use the node id");
    }
    List<Node> byPrefix = all.stream().filter(n -> n.getId().startsWith(reference)).toList();
    if (byPrefix.size() == 1) {
      return byPrefix.get(0);
    }
    if (byPrefix.size() > 1) {
      throw new InvalidArgumentException("node", "id prefix " + reference + " is ambiguous ("
          + byPrefix.size() + " nodes match)");
    }
    throw ShoalException.notFound("node " + reference + " not found");
  }

  /**
   * Replaces the node's spec; {@code version} must be the one read. A node registered so
   * recently that control has not stored its spec yet (version 0) gets one now.
   */
  public Node update(String nodeId, long version, NodeSpec requested) {
    NodeSpec spec = validate(requested);
    Node current = get(nodeId).orElseThrow(() -> ShoalException.notFound("node " + nodeId + " not found"));
    String name = current.getDescription().getHostname().isEmpty() ? nodeId : current.getDescription().getHostname();
    if (current.getVersion() != version) {
      throw new ConflictException("node " + name + " has changed since it was read (version " + version
          + ", now " + current.getVersion() + "); read it again and retry");
    }
    Node updated = current.toBuilder().setSpec(spec).build();
    Node stored = store.get(Tables.NODES, nodeId).map(n -> n.toBuilder().setSpec(spec).build())
        .orElseGet(() -> Node.newBuilder().setId(nodeId).setSpec(spec).setCreateTime(current.getCreateTime()).build());
    try {
      long revision = (version == 0 ? store.txn().create(Tables.NODES, nodeId, stored)
          : store.txn().update(Tables.NODES, nodeId, stored, version)).commit();
      return updated.toBuilder().setVersion(revision).build();
    } catch (ConflictException e) {
      throw new ConflictException("node " + name + " has changed since it was read; read it again and retry");
    }
  }

  /**
   * Removes the node and revokes it, in one transaction: its spec goes and
   * {@code revoked_nodes/<id>} is written, so every service refuses its certificate from then on
   * and the dispatcher ends its session and removes its registration (which moves its tasks).
   * A node that is not down is refused unless {@code force}, as Docker's `node rm` does.
   */
  public void delete(String reference, boolean force, Instant now) {
    Node node = find(reference);
    String name = node.getDescription().getHostname().isEmpty() ? node.getId() : node.getDescription().getHostname();
    if (!force && node.getStatus().getState() != NodeState.NODE_STATE_DOWN) {
      throw ShoalException.failedPrecondition("node " + name + " is not down and can't be removed; use"
          + " `shoal node rm --force " + reference + "` to remove it anyway (its tasks are moved, and its"
          + " certificate stops working at once)");
    }
    RevokedNode revoked = RevokedNode.newBuilder().setNodeId(node.getId())
        .setHostname(node.getDescription().getHostname()).setRevokeTime(Timestamps.toTimestamp(now)).build();
    Txn txn = store.txn().create(Tables.REVOKED_NODES, node.getId(), revoked);
    store.get(Tables.NODES, node.getId()).ifPresent(spec -> txn.delete(Tables.NODES, node.getId(), spec.getVersion()));
    try {
      txn.commit();
    } catch (ConflictException e) {
      throw new ConflictException("node " + name + " changed while it was being removed; try again");
    }
  }

  /** The node with this id: its spec, its registration, or both; none once it was removed. */
  /** The node of exactly {@code nodeId}, with what its agent registered; empty if unknown or removed. */
  public Optional<Node> byId(String nodeId) {
    return get(nodeId);
  }

  private Optional<Node> get(String nodeId) {
    if (store.get(Tables.REVOKED_NODES, nodeId).isPresent()) {
      return Optional.empty();
    }
    Optional<Node> spec = store.get(Tables.NODES, nodeId);
    Optional<NodeRegistration> registration = store.get(Tables.NODE_REGISTRATIONS, nodeId);
    if (spec.isEmpty() && registration.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(NodeViews.merge(spec.orElse(null), registration.orElse(null)));
  }

  /** Every node with a spec or a registration. */
  private List<Node> all() {
    Map<String, Node> specs = new HashMap<>();
    store.list(Tables.NODES).items().forEach(n -> specs.put(n.getId(), n));
    Map<String, NodeRegistration> registrations = new HashMap<>();
    store.list(Tables.NODE_REGISTRATIONS).items().forEach(r -> registrations.put(r.getId(), r));
    // A removed node's registration lasts until the dispatcher sees the revocation.
    store.list(Tables.REVOKED_NODES).items().forEach(r -> registrations.remove(r.getNodeId()));
    List<Node> all = new ArrayList<>();
    specs.forEach((id, n) -> all.add(NodeViews.merge(n, registrations.get(id))));
    registrations.forEach((id, r) -> {
      if (!specs.containsKey(id)) {
        all.add(NodeViews.merge(null, r));
      }
    });
    return all;
  }

  static NodeSpec validate(NodeSpec spec) {
    if (spec.getAvailability() == NodeAvailability.UNRECOGNIZED) {
      throw new InvalidArgumentException("NodeSpec.availability", "must be active, pause or drain");
    }
    NodeSpec.Builder b = spec.toBuilder();
    if (spec.getAvailability() == NodeAvailability.NODE_AVAILABILITY_UNSPECIFIED) {
      b.setAvailability(NodeAvailability.NODE_AVAILABILITY_ACTIVE);
    }
    SpecLimits.labels("NodeSpec.labels", spec.getLabelsMap());
    NodeSpec validated = b.build();
    SpecLimits.encodedSize("NodeSpec", validated.getSerializedSize(), SpecLimits.MAX_NODE_SPEC_BYTES,
        "use fewer or shorter labels");
    return validated;
  }
}
