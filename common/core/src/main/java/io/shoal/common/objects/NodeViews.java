package io.shoal.common.objects;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeAvailability;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSpec;

/**
 * A node as the API and the scheduler see it, put together from its two keys, each with one
 * writer: control's {@code nodes/<id>} (spec) and the dispatcher's
 * {@code node_registrations/<id>} (description, status). A node control has not given a spec yet
 * has Swarm's default: active, no labels.
 */
public final class NodeViews {
  private NodeViews() {}

  /** Swarm's spec for a node nobody has updated. */
  public static final NodeSpec DEFAULT_SPEC =
      NodeSpec.newBuilder().setAvailability(NodeAvailability.NODE_AVAILABILITY_ACTIVE).build();

  /** The spec control stores for a newly registered node. */
  public static Node newNode(NodeRegistration registration) {
    return Node.newBuilder().setId(registration.getId()).setSpec(DEFAULT_SPEC)
        .setCreateTime(registration.getCreateTime()).build();
  }

  /**
   * {@code stored} (from nodes/, or null) with {@code registration} (or null) laid over it; at
   * least one is given. The version is the stored one's (0 without): what `node update` guards.
   */
  public static Node merge(Node stored, NodeRegistration registration) {
    if (stored == null && registration == null) {
      throw new IllegalArgumentException("a node needs a spec or a registration");
    }
    Node.Builder b = stored != null ? stored.toBuilder()
        : Node.newBuilder().setId(registration.getId()).setSpec(DEFAULT_SPEC);
    if (registration != null) {
      b.setDescription(registration.getDescription()).setStatus(registration.getStatus());
      if (!b.hasCreateTime()) {
        b.setCreateTime(registration.getCreateTime());
      }
    }
    return b.build();
  }
}
