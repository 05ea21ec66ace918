package io.shoal.common.pki;

/**
 * Told of every peer certificate a handshake refuses, so the process that owns the TLS context
 * counts them (an OpenTelemetry counter by reason) and logs them rate-limited; this module
 * takes no metrics SDK.
 */
@FunctionalInterface
public interface TlsRefusals {
  /** Why a peer's certificate was refused. */
  enum Reason {
    /** The certificate (or the root) has expired. */
    EXPIRED,
    /** The certificate is not valid yet: a clock is wrong beyond the backdating. */
    NOT_YET_VALID,
    /** Another CA issued it, or it carries no Shoal identity. */
    UNTRUSTED,
    /** Issued by the cluster's CA for a role this endpoint does not accept. */
    WRONG_ROLE,
    /** Its extended key usage does not allow this side of a handshake. */
    WRONG_USAGE,
    /** Its CA is not the one a join token pins. */
    CA_MISMATCH
  }

  /**
   * Called on the handshake's thread (an event loop): must not block.
   *
   * @param message says which certificate and why, without secrets
   */
  void refused(Reason reason, String message);

  /** Ignores refusals (tests, tools). */
  TlsRefusals NONE = (reason, message) -> {};
}
