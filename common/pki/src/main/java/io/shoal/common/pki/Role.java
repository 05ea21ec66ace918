package io.shoal.common.pki;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a node may do in the cluster, written in its certificate's organizational unit (OU) as
 * SwarmKit writes {@code swarm-worker} / {@code swarm-manager}. Authorisation reads it from the
 * peer's verified certificate ({@link PeerIdentity}), never from anything the peer says.
 */
public enum Role {
  /** Runs tasks: talks to the dispatcher and the registry service about its own node only. */
  WORKER("shoal-worker"),
  /** Runs the control plane (and the CLI's certificate): may call every service. */
  MANAGER("shoal-manager");

  private final String organizationalUnit;

  Role(String organizationalUnit) {
    this.organizationalUnit = organizationalUnit;
  }

  /** The OU written in certificates of this role, e.g. {@code shoal-worker}. */
  public String organizationalUnit() {
    return organizationalUnit;
  }

  /** The role's word in commands and messages: {@code worker} or {@code manager} ({@code cluster join-token}'s). */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The role whose OU is {@code ou}, or empty for anything else. */
  public static Optional<Role> fromOrganizationalUnit(String ou) {
    return Arrays.stream(values()).filter(r -> r.organizationalUnit.equals(ou)).findFirst();
  }

  @Override
  public String toString() {
    return organizationalUnit;
  }
}
