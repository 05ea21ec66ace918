package io.shoal.common.server.tls;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --manager}: where a control-plane service or a mesh-proxy renews its certificate. */
public final class RenewalOptions {
  @Option(names = "--manager", defaultValue = "${env:SHOAL_MANAGER}",
      description = "Control's host:port, where this service renews its certificate (50-80% into its validity);"
          + " without it the certificate is not renewed and stops working when it expires (env SHOAL_MANAGER).")
  String manager;

  /** The manager to renew at, if one was given. */
  public Optional<String> manager() {
    return manager == null || manager.isBlank() ? Optional.empty() : Optional.of(manager);
  }
}
