package io.shoal.agent.exec;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.Task;
import java.util.Optional;

/**
 * Where the agent gets the registry credentials to pull a task's image with (the registry
 * service, for a service created with --with-registry-auth). Asked only when a pull is needed,
 * so credentials are fetched per pull and never kept.
 */
public interface PullCredentials {
  /** No credentials: every pull is anonymous. */
  PullCredentials NONE = task -> new Lookup(Optional.empty(), "");

  /**
   * The credentials for {@code task}'s image. Never throws: a lookup that fails gives no
   * credentials and says why in {@link Lookup#problem()}, so the pull still runs (anonymously)
   * and its error can name the cause.
   */
  Lookup forTask(Task task);

  /**
   * @param auth the credentials, or empty for an anonymous pull
   * @param problem why there are none when there should perhaps have been; empty otherwise
   */
  record Lookup(Optional<RegistryAuth> auth, String problem) {}
}
