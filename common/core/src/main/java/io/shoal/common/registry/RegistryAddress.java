package io.shoal.common.registry;

import java.util.Locale;

/** A registry's address as an image reference names it: host[:port], {@code docker.io} for Docker Hub. */
public final class RegistryAddress {
  public static final String DOCKER_HUB = "docker.io";

  private RegistryAddress() {}

  /**
   * {@code address} as {@code docker login} and config.json may write it
   * ({@code https://index.docker.io/v1/}, {@code http://127.0.0.1:5000},
   * {@code registry.example.com/}): without scheme and path, Docker Hub's names as
   * {@link #DOCKER_HUB}.
   */
  public static String normalize(String address) {
    String s = address.strip();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(0, slash);
    }
    String lower = s.toLowerCase(Locale.ROOT);
    return lower.equals("index.docker.io") || lower.equals("registry-1.docker.io") || lower.equals(DOCKER_HUB)
        ? DOCKER_HUB : s;
  }
}
