package io.shoal.registry;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.registry.credentials.CredentialStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins image references to digests; a registry that can't tell leaves the tag with Swarm's
 * warning, followed by the registry and the reason. A reference holding a digest is used as
 * given, without asking any registry.
 */
public final class ImageResolver {
  private static final Logger log = LoggerFactory.getLogger(ImageResolver.class);

  private final ManifestResolver manifests;
  private final ResolutionCache cache;

  @Inject
  public ImageResolver(ManifestResolver manifests, ResolutionCache cache) {
    this.manifests = manifests;
    this.cache = cache;
  }

  public ResolveImageResponse resolve(String image) {
    return resolve(ResolveImageRequest.newBuilder().setImage(image).build());
  }

  public ResolveImageResponse resolve(ResolveImageRequest request) {
    ImageReference ref = ImageReference.parse(request.getImage(), "image");
    if (request.getValidateOnly()) {
      return ResolveImageResponse.newBuilder().setImage(request.getImage()).setDigest(ref.digest()).build();
    }
    if (ref.hasDigest()) {
      return ResolveImageResponse.newBuilder()
          .setImage(ref.familiarString()).setDigest(ref.digest()).build();
    }
    Optional<RegistryAuth> auth = Optional.empty();
    if (request.hasAuth() && !request.getAuth().getUsername().isEmpty()) {
      String server = CredentialStore.normalizeServer(request.getAuth().getServerAddress());
      if (server.isEmpty() || server.equals(ref.registry())) {
        auth = Optional.of(request.getAuth());
      } else {
        log.info("credentials given for {} are not used for {} (registry {})", server, ref.familiarString(), ref.registry());
      }
    }
    Optional<RegistryAuth> login = auth;
    try {
      String digest = cache.get(cacheKey(ref, login), request.getRefresh(), () -> manifests.resolveDigest(ref, login));
      ImageReference pinned = ref.withDigest(digest);
      log.info("resolved {} to {}", ref.familiarString(), digest);
      return ResolveImageResponse.newBuilder()
          .setImage(pinned.familiarString()).setDigest(digest).build();
    } catch (ManifestResolver.UnresolvedException e) {
      log.warn("cannot pin {}: {}", ref.familiarString(), e.getMessage());
      return ResolveImageResponse.newBuilder()
          .setImage(ref.familiarString())
          .setWarning(unpinnedWarning(ref.familiarString()) + " (" + e.getMessage() + ")")
          .build();
    }
  }

  /** The reference plus a hash of the login, so answers obtained with one login stay with it. */
  private static String cacheKey(ImageReference ref, Optional<RegistryAuth> auth) {
    if (auth.isEmpty()) {
      return ref.familiarString();
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(auth.get().getUsername().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(auth.get().getPassword().getBytes(StandardCharsets.UTF_8));
      return ref.familiarString() + " " + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Swarm's words, so users recognise the situation. */
  static String unpinnedWarning(String image) {
    return "image " + image + " could not be accessed on a registry to record its digest. Each node will"
        + " access " + image + " independently, possibly leading to different nodes running different"
        + " versions of the image.";
  }
}
