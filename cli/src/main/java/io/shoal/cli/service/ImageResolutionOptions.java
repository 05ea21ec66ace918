package io.shoal.cli.service;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.cli.auth.RegistryAuthFlag;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --no-resolve-image} and {@code --with-registry-auth}, the same on create and update. */
public final class ImageResolutionOptions {
  @Option(
      names = "--no-resolve-image",
      description = "Do not query the registry to pin the image to a digest")
  boolean noResolveImage;

  @Option(
      names = "--with-registry-auth",
      description = "Send the login for the image's registry (from `shoal login`) to the nodes")
  boolean withRegistryAuth;

  /** The saved login for {@code image}'s registry when --with-registry-auth is given. */
  Optional<RegistryAuth> registryAuth(Supplier<String> image, Map<String, String> env, PrintWriter err) {
    return withRegistryAuth ? RegistryAuthFlag.forImage(image.get(), env, err) : Optional.empty();
  }
}
