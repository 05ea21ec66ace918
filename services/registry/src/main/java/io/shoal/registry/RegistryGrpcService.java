package io.shoal.registry;

import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.common.errors.GrpcErrors;
import javax.inject.Inject;

/** Translates RegistryService calls to {@link ImageResolver}. */
public final class RegistryGrpcService extends RegistryServiceGrpc.RegistryServiceImplBase {
  private final ImageResolver resolver;

  @Inject
  RegistryGrpcService(ImageResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public void resolveImage(ResolveImageRequest request, StreamObserver<ResolveImageResponse> response) {
    GrpcErrors.unary(response, () -> resolver.resolve(request.getImage()));
  }
}
