package io.shoal.control.network;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.Index;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Picks a network's VXLAN network identifier (VNI): the lowest one from {@link #FIRST} that no
 * network holds, as Swarm's overlay driver does. Pure, so the rule is tested alone;
 * {@link NetworkManager} claims the result under {@link #INDEX} in the network's transaction.
 */
final class VxlanIds {
  /**
   * Swarm's first VNI: those below are left to hand-made VXLAN devices on the hosts (Docker's
   * overlay driver starts here too).
   */
  static final int FIRST = 4096;
  /** The largest VNI: the field is 24 bits. */
  static final int LAST = (1 << 24) - 1;
  /**
   * {@code allocator/vxlan_ids/<id>} holds the network id, claimed in the network's create and
   * released in its delete, under control's {@code allocator/} prefix.
   */
  static final Index INDEX = new Index("allocator/vxlan_ids");

  private VxlanIds() {}

  /**
   * The lowest id from {@link #FIRST} to {@link #LAST} not in {@code taken}. It never runs out
   * while the cluster keeps to {@link NetworkLimits#MAX_NETWORKS}.
   *
   * @throws ShoalException RESOURCE_EXHAUSTED when every id is taken
   */
  static int lowestFree(Collection<Integer> taken) {
    return lowestFree(taken, FIRST, LAST);
  }

  /** {@link #lowestFree(Collection)} within {@code first..last}, so running out can be tested. */
  static int lowestFree(Collection<Integer> taken, int first, int last) {
    int candidate = first;
    for (int id : new TreeSet<>(taken)) {
      if (id > candidate) {
        break;
      }
      if (id == candidate) {
        candidate++;
      }
    }
    if (candidate > last) {
      throw new ShoalException(Status.Code.RESOURCE_EXHAUSTED,
          "every VXLAN id from " + first + " to " + last + " is taken; remove a network");
    }
    return candidate;
  }

  /** The ids of the index's keys; a key that is not a number (a hand edit) takes no id. */
  static List<Integer> parse(Collection<String> keys) {
    return keys.stream().filter(k -> k.matches("[0-9]{1,8}")).map(Integer::parseInt).toList();
  }
}
