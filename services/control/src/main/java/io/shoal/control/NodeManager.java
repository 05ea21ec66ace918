package io.shoal.control;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeSpec;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Node specs as the user sets them (`shoal node update`): availability and labels. Control is
 * their only writer; the dispatcher writes a node's description and status on the same key, so
 * every write is guarded by the version read and a stale one is ABORTED.
 */
public final class NodeManager {
  private final EtcdStore store;
  private final TablePager pages;

  @Inject
  public NodeManager(EtcdStore store) {
    this.store = store;
    this.pages = new TablePager(store);
  }

  /** One page of nodes, in id order. */
  public TablePager.Page<Node> list(int pageSize, String pageToken) {
    return pages.page(Tables.NODES,
        new TablePager.Request("", pageSize, pageToken), "", n -> true);
  }

  /** By id, hostname, or unique id prefix, as Docker resolves node references. */
  public Node find(String reference) {
    if (reference.isEmpty()) {
      throw new InvalidArgumentException("node", "a node id or hostname must be provided");
    }
    Optional<Node> byId = store.get(Tables.NODES, reference);
    if (byId.isPresent()) {
      return byId.get();
    }
    List<Node> all = store.list(Tables.NODES).items();
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

  /** Replaces the node's spec; {@code version} must be the one read. */
  public Node update(String nodeId, long version, NodeSpec requested) {
    NodeSpec spec = validate(requested);
    Node current = store.get(Tables.NODES, nodeId)
        .orElseThrow(() -> ShoalException.notFound("node " + nodeId + " not found"));
    String name = current.getDescription().getHostname().isEmpty() ? nodeId : current.getDescription().getHostname();
    if (current.getVersion() != version) {
      throw new ConflictException("node " + name + " has changed since it was read (version " + version
          + ", now " + current.getVersion() + "); read it again and retry");
    }
    Node updated = current.toBuilder().setSpec(spec).build();
    try {
      long revision = store.txn().update(Tables.NODES, nodeId, updated, version).commit();
      return updated.toBuilder().setVersion(revision).build();
    } catch (ConflictException e) {
      throw new ConflictException("node " + name + " has changed since it was read; read it again and retry");
    }
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
