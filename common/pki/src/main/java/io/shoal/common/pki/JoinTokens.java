package io.shoal.common.pki;

import java.util.Optional;

/**
 * The cluster's two join tokens, one per role. Whoever stores them (control) rotates one with
 * {@link #rotate}; the node certificate issuer admits a CSR in the role whose token it carries.
 *
 * @param worker the token that makes a worker
 * @param manager the token that makes a manager
 */
public record JoinTokens(JoinToken worker, JoinToken manager) {
  /** Two fresh tokens for the CA of {@code root}. */
  public static JoinTokens generate(RootCertificate root) {
    return new JoinTokens(JoinToken.generate(root.digest()), JoinToken.generate(root.digest()));
  }

  public JoinToken forRole(Role role) {
    return role == Role.MANAGER ? manager : worker;
  }

  /** These tokens with {@code role}'s replaced by a new secret: its old token stops matching at once. */
  public JoinTokens rotate(Role role) {
    return role == Role.MANAGER ? new JoinTokens(worker, manager.rotate()) : new JoinTokens(worker.rotate(), manager);
  }

  /**
   * The role {@code presented} admits, or empty when it matches neither token (wrong, rotated, or
   * for another CA). Both tokens are compared, each in constant time.
   */
  public Optional<Role> roleOf(JoinToken presented) {
    boolean isManager = manager.matches(presented);
    boolean isWorker = worker.matches(presented);
    return isManager ? Optional.of(Role.MANAGER) : isWorker ? Optional.of(Role.WORKER) : Optional.empty();
  }
}
