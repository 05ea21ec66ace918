package io.shoal.control;

import io.shoal.control.limits.SpecLimits;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.api.v1.SealServiceCredentialsRequest;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the registry service for an image's digest, and to seal the registry credentials of a
 * service (`--with-registry-auth`), which control then stores with the service. When the
 * registry service itself can't be reached (UNAVAILABLE, DEADLINE_EXCEEDED) the service is still
 * created with the tag, with Swarm's warning, as for a registry that can't be reached; any other
 * failure to check the image, and credentials that can't be sealed, fail the request (the nodes
 * could not pull without them).
 */
public class ImagePinner {
  private static final Logger log = LoggerFactory.getLogger(ImagePinner.class);

  /** The pinned (or unpinned) reference and the warning to show, if any. */
  public record Pinned(String image, String warning) {}

  private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;

  @Inject
  public ImagePinner(@Named("registry") Channel registry) {
    this.registry = RegistryServiceGrpc.newBlockingStub(registry);
  }

  public Pinned pin(String image) {
    return pin(image, Optional.empty(), "", false);
  }

  /**
   * Resolves {@code image} with {@code auth}, or with the credentials stored for
   * {@code serviceId} when none is given; {@code refresh} skips the registry service's cache
   * (`service update --image` must see a new push).
   */
  public Pinned pin(String image, Optional<RegistryAuth> auth, String serviceId, boolean refresh) {
    SpecLimits.length("ContainerSpec.image", image, SpecLimits.MAX_IMAGE);
    ResolveImageRequest.Builder request = ResolveImageRequest.newBuilder()
        .setImage(image).setRefresh(refresh).setServiceId(serviceId);
    auth.ifPresent(request::setAuth);
    try {
      ResolveImageResponse r = registry.withDeadlineAfter(15, TimeUnit.SECONDS).resolveImage(request.build());
      return new Pinned(r.getImage(), r.getWarning());
    } catch (StatusRuntimeException e) {
      Status status = unreachableOrThrow(image, e);
      return new Pinned(image, "image " + image + " could not be accessed on a registry to record its digest."
          + " Each node will access " + image + " independently, possibly leading to different nodes running"
          + " different versions of the image. (registry service: " + status.getCode()
          + (status.getDescription() == null ? "" : ": " + status.getDescription()) + ")");
    }
  }

  /**
   * Checks the reference only (`--no-resolve-image`): INVALID_ARGUMENT when it is malformed. A
   * registry service that cannot be reached leaves it unchecked (the nodes will say).
   */
  public void validate(String image) {
    SpecLimits.length("ContainerSpec.image", image, SpecLimits.MAX_IMAGE);
    try {
      registry.withDeadlineAfter(15, TimeUnit.SECONDS).resolveImage(
          ResolveImageRequest.newBuilder().setImage(image).setValidateOnly(true).build());
    } catch (StatusRuntimeException e) {
      Status status = unreachableOrThrow(image, e);
      log.warn("image {} left unchecked: registry service {}", image, status.getCode());
    }
  }

  /**
   * Returns the status when the registry service could not be reached (UNAVAILABLE, or no answer
   * in time): the image is then used unchecked, as Swarm does with a registry it can't reach.
   * Any other failure is an answer about this image, and fails the request: INVALID_ARGUMENT as
   * the registry service gave it, anything else (a bug there, an unknown method) INTERNAL.
   */
  private static Status unreachableOrThrow(String image, StatusRuntimeException e) {
    Status status = e.getStatus();
    switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> {
        return status;
      }
      case INVALID_ARGUMENT -> {
        String reason = status.getDescription();
        if (reason != null && reason.startsWith("image: ")) {
          reason = reason.substring("image: ".length());
        }
        throw new InvalidArgumentException("ContainerSpec.image", reason);
      }
      default -> {
        log.warn("the registry service failed on image {}: {}", image, status);
        throw new ShoalException(Status.Code.INTERNAL, "ContainerSpec.image: the registry service could not"
            + " check image \"" + image + "\" (" + status.getCode()
            + (status.getDescription() == null ? "" : ": " + status.getDescription()) + "); nothing was stored");
      }
    }
  }

  /**
   * Has the registry service seal {@code auth} for {@code serviceId}, for control to store with
   * the service; fails with its reason.
   */
  public SealedCredentials sealCredentials(String serviceId, RegistryAuth auth) {
    if (auth.getServerAddress().isBlank()) {
      throw new InvalidArgumentException("registry_auth.server_address", "must be provided (the image's registry)");
    }
    if (auth.getUsername().isBlank()) {
      throw new InvalidArgumentException("registry_auth.username", "must be provided");
    }
    if (auth.getPassword().isEmpty()) {
      throw new InvalidArgumentException("registry_auth.password", "must be provided");
    }
    try {
      return registry.withDeadlineAfter(15, TimeUnit.SECONDS).sealServiceCredentials(
          SealServiceCredentialsRequest.newBuilder().setServiceId(serviceId).setAuth(auth).build()).getSealed();
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
          || e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
          ? e.getStatus().getCode() : Status.Code.UNAVAILABLE;
      throw new ShoalException(code, "registry credentials (--with-registry-auth) could not be stored: "
          + (e.getStatus().getDescription() == null ? e.getStatus().getCode() : e.getStatus().getDescription()));
    }
  }
}
