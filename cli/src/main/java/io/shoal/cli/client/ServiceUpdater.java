package io.shoal.cli.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.cli.CliException;

/**
 * Read-modify-write of a service spec. Reads the service, applies the change to what it read and
 * sends it with the version read; when someone else wrote in between (ABORTED) it reads again and
 * applies the change again, never overwriting the other write. Gives up after {@link
 * #MAX_ATTEMPTS}.
 */
public final class ServiceUpdater {
  public static final int MAX_ATTEMPTS = 5;

  /** A change to a spec; may be applied more than once, each time to a fresher read. */
  @FunctionalInterface
  public interface SpecChange {
    /**
     * @param current the service as just read
     * @return the spec to write
     * @throws CliException when the change does not apply to this service (e.g. replicas of a
     *     global service)
     */
    ServiceSpec apply(Service current);
  }

  private final ControlClient control;

  public ServiceUpdater(ControlClient control) {
    this.control = control;
  }

  /**
   * @param service id, name or unique id prefix
   * @throws StatusRuntimeException for any failure other than a lost race
   * @throws CliException when every attempt lost a race
   */
  public UpdateServiceResponse update(String service, SpecChange change, boolean noResolveImage) {
    return update(service, change, noResolveImage, java.util.Optional.empty(), false);
  }

  /**
   * As above, sending {@code auth} (--with-registry-auth) with the update; {@code resolveImage}
   * ({@code --image} given) has the image resolved again even when unchanged.
   */
  public UpdateServiceResponse update(
      String service,
      SpecChange change,
      boolean noResolveImage,
      java.util.Optional<io.shoal.api.v1.RegistryAuth> auth,
      boolean resolveImage) {
    for (int attempt = 1; ; attempt++) {
      Service current = control.getService(service);
      ServiceSpec spec = change.apply(current);
      try {
        return control.updateService(
            current.getId(), current.getVersion(), spec, noResolveImage, auth, resolveImage);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ABORTED) {
          throw e;
        }
        if (attempt == MAX_ATTEMPTS) {
          throw new CliException(
              "service "
                  + current.getSpec().getName()
                  + " kept changing while updating it ("
                  + MAX_ATTEMPTS
                  + " attempts); try again (ABORTED)",
              e);
        }
      }
    }
  }
}
