package io.shoal.registry;

import io.shoal.api.v1.ResolveImageResponse;
import javax.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pins image references to digests; a registry that can't tell leaves the tag with a warning. */
public final class ImageResolver {
  private static final Logger log = LoggerFactory.getLogger(ImageResolver.class);

  private final ManifestResolver manifests;

  @Inject
  public ImageResolver(ManifestResolver manifests) {
    this.manifests = manifests;
  }

  public ResolveImageResponse resolve(String image) {
    ImageReference ref = ImageReference.parse(image, "image");
    if (ref.hasDigest()) {
      return ResolveImageResponse.newBuilder()
          .setImage(ref.familiarString()).setDigest(ref.digest()).build();
    }
    try {
      String digest = manifests.resolveDigest(ref);
      ImageReference pinned = ref.withDigest(digest);
      log.info("resolved {} to {}", image, digest);
      return ResolveImageResponse.newBuilder()
          .setImage(pinned.familiarString()).setDigest(digest).build();
    } catch (ManifestResolver.UnresolvedException e) {
      log.warn("cannot pin {}: {}", image, e.getMessage());
      return ResolveImageResponse.newBuilder()
          .setImage(ref.familiarString())
          .setWarning(unpinnedWarning(ref.familiarString()) + " (" + e.getMessage() + ")")
          .build();
    }
  }

  /** Swarm's words, so users recognise the situation. */
  static String unpinnedWarning(String image) {
    return "image " + image + " could not be accessed on a registry to record its digest. Each node will"
        + " access " + image + " independently, possibly leading to different nodes running different"
        + " versions of the image.";
  }
}
