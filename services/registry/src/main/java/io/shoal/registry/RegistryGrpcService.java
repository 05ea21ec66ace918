package io.shoal.registry;

import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.GetPullCredentialsRequest;
import io.shoal.api.v1.GetPullCredentialsResponse;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.api.v1.SealServiceCredentialsRequest;
import io.shoal.api.v1.SealServiceCredentialsResponse;
import io.grpc.Status;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.authz.CallerIdentity;
import io.shoal.registry.credentials.CredentialStore;
import jakarta.inject.Inject;

/** Translates RegistryService calls to {@link ImageResolver} and {@link CredentialStore}. */
public final class RegistryGrpcService extends RegistryServiceGrpc.RegistryServiceImplBase {
  private final ImageResolver resolver;
  private final CredentialStore credentials;

  @Inject
  public RegistryGrpcService(ImageResolver resolver, CredentialStore credentials) {
    this.resolver = resolver;
    this.credentials = credentials;
  }

  @Override
  public void resolveImage(ResolveImageRequest request, StreamObserver<ResolveImageResponse> response) {
    GrpcErrors.unary(response, () -> {
      if (!request.hasAuth() && !request.getServiceId().isEmpty()) {
        var stored = credentials.get(request.getServiceId());
        if (stored.isPresent()) {
          return resolver.resolve(request.toBuilder().setAuth(stored.get()).build());
        }
      }
      return resolver.resolve(request);
    });
  }

  @Override
  public void sealServiceCredentials(SealServiceCredentialsRequest request,
      StreamObserver<SealServiceCredentialsResponse> response) {
    GrpcErrors.unary(response, () -> SealServiceCredentialsResponse.newBuilder()
        .setSealed(credentials.seal(request.getServiceId(), request.getAuth())).build());
  }

  @Override
  public void getPullCredentials(GetPullCredentialsRequest request,
      StreamObserver<GetPullCredentialsResponse> response) {
    GrpcErrors.unary(response, () -> {
      // Over mutual TLS a worker asks only for its own node's tasks, whatever it says.
      CallerIdentity.current().filter(c -> c.role() == Role.WORKER && !c.nodeId().equals(request.getNodeId()))
          .ifPresent(c -> {
            throw new ShoalException(Status.Code.PERMISSION_DENIED, "the certificate of node " + c.nodeId()
                + " may not ask for the pull credentials of node " + request.getNodeId() + "'s tasks");
          });
      GetPullCredentialsResponse.Builder r = GetPullCredentialsResponse.newBuilder();
      credentials.forPull(request.getNodeId(), request.getSessionSecret(), request.getTaskId()).ifPresent(r::setAuth);
      return r.build();
    });
  }
}
