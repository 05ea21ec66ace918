package io.shoal.common.server.tls;

import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.JoinToken;
import io.shoal.common.pki.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The flags of a part's place in the cluster: {@code --manager} (control, where it joins and
 * renews its certificate) and {@code --join-token}/{@code --join-token-file} (its first start, as
 * Swarm's {@code docker swarm join --token}). Every part takes them: node agents join with the
 * worker token, control-plane services and mesh-proxies with the manager token.
 */
public final class ManagerOptions {
  /** How long a join waits for a manager that does not answer yet (started with the part). */
  private static final Duration JOIN_PATIENCE = Duration.ofSeconds(60);

  @Option(names = "--manager", defaultValue = "${env:SHOAL_MANAGER}",
      description = "host:port of control: where this part joins the cluster (with --join-token) and renews its"
          + " certificate (50-80%% into its validity); without it the certificate is not renewed and stops working"
          + " when it expires (env SHOAL_MANAGER).")
  String manager;

  @Option(names = "--join-token", defaultValue = "${env:SHOAL_JOIN_TOKEN}",
      description = "Join the cluster with this token (`shoal cluster join-token worker|manager`) at --manager, unless"
          + " the certificate directory already holds this part's certificate (env SHOAL_JOIN_TOKEN).")
  String joinToken;

  @Option(names = "--join-token-file", description = "Read the join token from this file (keeps it out of `ps`).")
  Path joinTokenFile;

  /** The manager to join and renew at, if one was given. */
  public Optional<String> manager() {
    return manager == null || manager.isBlank() ? Optional.empty() : Optional.of(manager);
  }

  /**
   * --join-token, else the content of --join-token-file; parsed.
   *
   * @throws CannotStartException for a file that cannot be read or a malformed token
   */
  public Optional<JoinToken> joinToken() {
    String text = joinToken;
    if ((text == null || text.isBlank()) && joinTokenFile != null) {
      try {
        text = Files.readString(joinTokenFile).strip();
      } catch (IOException e) {
        throw new CannotStartException("cannot read --join-token-file " + joinTokenFile + ": " + e.getMessage(), e);
      }
    }
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JoinToken.parse(text.strip()));
    } catch (ShoalException e) {
      throw new CannotStartException("--join-token: " + e.getMessage(), e);
    }
  }

  /**
   * {@code part}'s TLS from {@code tls}, joined first as a {@code role} with the join token when
   * its certificate directory holds no certificate; a certificate of the other role is refused.
   *
   * @throws CannotStartException saying what is wrong and what to do
   */
  public ServiceTls tls(TlsOptions tls, String part, Role role) {
    return tls(tls, part, role, Optional.empty());
  }

  /**
   * As above; a join without {@code --cert-dir} keeps its certificate in {@code joinedCertDir}
   * (the agent's state directory), where one is given.
   */
  public ServiceTls tls(TlsOptions tls, String part, Role role, Optional<Path> joinedCertDir) {
    Optional<JoinToken> token = joinToken();
    if (token.isPresent()) {
      if (tls.insecure) {
        throw new CannotStartException("both --join-token and --insecure were given: a part that joins speaks TLS");
      }
      if (tls.certDir == null) {
        tls.certDir = joinedCertDir.orElseThrow(() -> new CannotStartException("--join-token needs --cert-dir: the"
            + " directory that keeps the certificate the " + part + " gets"));
      }
      try {
        ClusterEnrollment.enroll(part, new CertDirectory(tls.certDir), token, manager(), role, Clock.systemUTC(),
            JOIN_PATIENCE);
      } catch (ShoalException | IllegalArgumentException | UncheckedIOException e) {
        throw new CannotStartException(e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CannotStartException("interrupted while joining", e);
      }
    }
    ServiceTls loaded = tls.tls();
    if (loaded.identity().isPresent() && loaded.identity().get().role() != role) {
      throw new CannotStartException(tls.certDir + ": a " + part + "'s certificate must be a " + role.word() + "'s; "
          + loaded.identity().get().nodeId() + "'s is a " + loaded.identity().get().role().word() + "'s (join with"
          + " the token of `shoal cluster join-token " + role.word() + "` into an empty directory, or `shoal-control"
          + " ca issue --role " + role.word() + "`)");
    }
    return loaded;
  }
}
