package io.shoal.common.server.tls;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.ClusterJoin;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a part gets its identity: the certificate already in its directory (it joined before),
 * else a join with the token at the manager (a node agent with the worker token, a control-plane
 * service or a mesh-proxy with the manager token). A manager that does not answer yet (started
 * with the part) is asked again until {@code patience} runs out; a refusal (a token that is not
 * current, a CA that does not match it, the other role's token) ends the start at once with the
 * reason.
 */
public final class ClusterEnrollment {
  private static final Logger log = LoggerFactory.getLogger(ClusterEnrollment.class);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofMillis(500);

  private ClusterEnrollment() {}

  /**
   * {@code part}'s certificate directory, joined first as a {@code role} if it holds no
   * certificate.
   *
   * @throws ShoalException FAILED_PRECONDITION with what to do when there is neither a
   *     certificate nor a token; the manager's refusal; or UNAVAILABLE after {@code patience}
   */
  public static CertDirectory.Contents enroll(String part, CertDirectory dir, Optional<JoinToken> token,
      Optional<String> manager, Role role, Clock clock, Duration patience) throws InterruptedException {
    if (dir.exists()) {
      CertDirectory.Contents contents = dir.read();
      token.ifPresent(t -> log.info("{} {} joined before; its certificate in {} is used, not the join token", part,
          contents.credentials().identity().nodeId(), dir.directory()));
      return contents;
    }
    if (token.isEmpty() || manager.isEmpty()) {
      throw ShoalException.failedPrecondition("no certificate in " + dir.directory() + " and "
          + (token.isEmpty() ? "no join token" : "no manager address") + ": start the " + part
          + " with --join-token TOKEN --manager HOST:PORT, as `shoal cluster join-token " + role.word()
          + "` prints them");
    }
    Instant giveUp = clock.instant().plus(patience);
    for (;;) {
      try {
        CertDirectory.Contents joined = ClusterJoin.join(token.get(), manager.get(), role, dir, clock, CALL_DEADLINE);
        log.info("{} joined the cluster at {} as {} {}", part, manager.get(), role.word(),
            joined.credentials().identity().nodeId());
        return joined;
      } catch (ShoalException e) {
        if (e.code() != Status.Code.UNAVAILABLE || clock.instant().isAfter(giveUp)) {
          throw e;
        }
        log.info("{}; asking again", e.getMessage());
        Thread.sleep(RETRY.toMillis());
      }
    }
  }
}
