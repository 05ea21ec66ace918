package io.shoal.control;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.common.errors.InvalidArgumentException;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Named;

/**
 * Asks the registry service for an image's digest. When the registry service itself can't be
 * reached the service is still created with the tag, with Swarm's warning, as for a registry
 * that can't be reached.
 */
public class ImagePinner {
  /** The pinned (or unpinned) reference and the warning to show, if any. */
  public record Pinned(String image, String warning) {}

  private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;

  @Inject
  public ImagePinner(@Named("registry") Channel registry) {
    this.registry = RegistryServiceGrpc.newBlockingStub(registry);
  }

  public Pinned pin(String image) {
    try {
      ResolveImageResponse r =
          registry.withDeadlineAfter(15, TimeUnit.SECONDS)
              .resolveImage(ResolveImageRequest.newBuilder().setImage(image).build());
      return new Pinned(r.getImage(), r.getWarning());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        String reason = e.getStatus().getDescription();
        if (reason != null && reason.startsWith("image: ")) {
          reason = reason.substring("image: ".length());
        }
        throw new InvalidArgumentException("ContainerSpec.image", reason);
      }
      return new Pinned(image, "image " + image + " could not be accessed on a registry to record its digest."
          + " Each node will access " + image + " independently, possibly leading to different nodes running"
          + " different versions of the image. (registry service: " + e.getStatus().getCode() + ")");
    }
  }
}
