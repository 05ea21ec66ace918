package io.shoal.cli.auth;

import io.shoal.api.v1.RegistryAuth;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/** What {@code --with-registry-auth} sends: the login for the image's registry from config.json. */
public final class RegistryAuthFlag {
  private RegistryAuthFlag() {}

  /**
   * The login for {@code image}'s registry; without one, a warning (as Docker, the service is
   * then created without credentials and nodes pull anonymously).
   */
  public static Optional<RegistryAuth> forImage(String image, Map<String, String> env, PrintWriter err) {
    String registry = DockerConfig.registryOf(image);
    DockerConfig config = DockerConfig.of(env);
    Optional<RegistryAuth> auth = config.find(registry);
    if (auth.isEmpty()) {
      err.println("shoal: warning: --with-registry-auth: no login for " + registry + " in " + config.file()
          + "; nodes will pull " + image + " anonymously (run `shoal login " + registry + "` first)");
      err.flush();
    }
    return auth;
  }
}
