package io.shoal.agent.join;

import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.ClusterJoin;
import io.shoal.common.pki.JoinToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an agent gets its identity: the certificate already in its directory (it joined before),
 * else a join with the token at the manager. A manager that does not answer yet (started with
 * the agent) is asked again until {@code patience} runs out; a refusal (a token that is not
 * current, a CA that does not match it) ends the start at once with the manager's reason.
 */
public final class NodeEnrollment {
  private static final Logger log = LoggerFactory.getLogger(NodeEnrollment.class);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofMillis(500);

  private NodeEnrollment() {}

  /**
   * The node's certificate directory, joined first if it holds no certificate.
   *
   * @throws ShoalException FAILED_PRECONDITION with what to do when there is neither a
   *     certificate nor a token; the manager's refusal; or UNAVAILABLE after {@code patience}
   */
  public static CertDirectory.Contents enroll(CertDirectory dir, Optional<JoinToken> token, Optional<String> manager,
      Clock clock, Duration patience) throws InterruptedException {
    if (dir.exists()) {
      CertDirectory.Contents contents = dir.read();
      token.ifPresent(t -> log.info("node {} joined before; its certificate in {} is used, not the join token",
          contents.credentials().identity().nodeId(), dir.directory()));
      return contents;
    }
    if (token.isEmpty() || manager.isEmpty()) {
      throw ShoalException.failedPrecondition("no certificate in " + dir.directory() + " and "
          + (token.isEmpty() ? "no join token" : "no manager address") + ": start the agent with --join-token TOKEN"
          + " --manager HOST:PORT, as `shoal cluster join-token worker` prints them");
    }
    Instant giveUp = clock.instant().plus(patience);
    for (;;) {
      try {
        CertDirectory.Contents joined = ClusterJoin.join(token.get(), manager.get(), dir, clock, CALL_DEADLINE);
        log.info("joined the cluster at {} as {} {}", manager.get(),
            joined.credentials().identity().role().organizationalUnit(), joined.credentials().identity().nodeId());
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
