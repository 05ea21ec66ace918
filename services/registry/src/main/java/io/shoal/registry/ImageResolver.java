package io.shoal.registry;

import io.shoal.common.registry.ImageReference;

import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.common.registry.RegistryAddress;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins image references to digests; a registry that can't tell leaves the tag with Swarm's
 * warning, followed by the registry and the reason. A reference holding a digest is used as
 * given, without asking any registry.
 */
public final class ImageResolver {
  private static final Logger log = LoggerFactory.getLogger(ImageResolver.class);

  private static final io.opentelemetry.api.common.AttributeKey<String> OUTCOME =
      io.opentelemetry.api.common.AttributeKey.stringKey("outcome");

  private final ManifestResolver manifests;
  private final ResolutionCache cache;
  private final io.opentelemetry.api.metrics.LongCounter resolutions;

  public ImageResolver(ManifestResolver manifests, ResolutionCache cache) {
    this(manifests, cache, io.shoal.common.telemetry.Telemetry.noop());
  }

  @Inject
  public ImageResolver(ManifestResolver manifests, ResolutionCache cache, io.shoal.common.telemetry.Telemetry telemetry) {
    this.manifests = manifests;
    this.cache = cache;
    io.opentelemetry.api.metrics.Meter meter = telemetry.meter("io.shoal.registry");
    this.resolutions = meter.counterBuilder("shoal.registry.resolutions")
        .setDescription("ResolveImage answers, by outcome: pinned, unpinned (warning), given (digest in the"
            + " reference), validated (--no-resolve-image)")
        .build();
    meter.counterBuilder("shoal.registry.resolution_cache_hits")
        .setDescription("Tag lookups answered from the resolution cache instead of a registry")
        .buildWithCallback(m -> m.record(cache.hits()));
    io.opentelemetry.api.common.AttributeKey<String> reason = io.opentelemetry.api.common.AttributeKey.stringKey("reason");
    meter.counterBuilder("shoal.registry.resolution_cache_evictions")
        .setDescription("Answers dropped from the resolution cache, by reason: size (--resolve-cache-size"
            + " reached: the least recently used) or expired (past --resolve-cache-ttl), to make room")
        .buildWithCallback(m -> {
          m.record(cache.evictedLeastRecentlyUsed(), io.opentelemetry.api.common.Attributes.of(reason, "size"));
          m.record(cache.evictedExpired(), io.opentelemetry.api.common.Attributes.of(reason, "expired"));
        });
  }

  public ResolveImageResponse resolve(String image) {
    return resolve(ResolveImageRequest.newBuilder().setImage(image).build());
  }

  public ResolveImageResponse resolve(ResolveImageRequest request) {
    ImageReference ref = ImageReference.parse(request.getImage(), "image");
    if (request.getValidateOnly()) {
      count("validated");
      return ResolveImageResponse.newBuilder().setImage(request.getImage()).setDigest(ref.digest()).build();
    }
    if (ref.hasDigest()) {
      count("given");
      return ResolveImageResponse.newBuilder()
          .setImage(ref.familiarString()).setDigest(ref.digest()).build();
    }
    Optional<RegistryAuth> auth = Optional.empty();
    if (request.hasAuth() && !request.getAuth().getUsername().isEmpty()) {
      String server = RegistryAddress.normalize(request.getAuth().getServerAddress());
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
      count("pinned");
      return ResolveImageResponse.newBuilder()
          .setImage(pinned.familiarString()).setDigest(digest).build();
    } catch (ManifestResolver.UnresolvedException e) {
      log.warn("cannot pin {}: {}", ref.familiarString(), e.getMessage());
      count("unpinned");
      return ResolveImageResponse.newBuilder()
          .setImage(ref.familiarString())
          .setWarning(unpinnedWarning(ref.familiarString()) + " (" + e.getMessage() + ")")
          .build();
    }
  }

  private void count(String outcome) {
    resolutions.add(1, io.opentelemetry.api.common.Attributes.of(OUTCOME, outcome));
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
