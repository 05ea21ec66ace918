package io.shoal.control.ca;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.CaServiceGrpc;
import io.shoal.api.v1.JoinClusterRequest;
import io.shoal.api.v1.JoinClusterResponse;
import io.shoal.api.v1.RenewCertificateRequest;
import io.shoal.api.v1.RenewCertificateResponse;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.PeerIdentity;

/**
 * shoal.v1.CaService on control's port: joins and renewals. The caller's identity comes from its
 * verified client certificate, which {@link PeerIdentityInterceptor} puts in the call's context.
 */
public final class CaGrpcService extends CaServiceGrpc.CaServiceImplBase {
  private final NodeCertificates certificates;

  public CaGrpcService(NodeCertificates certificates) {
    this.certificates = certificates;
  }

  @Override
  public void joinCluster(JoinClusterRequest request, StreamObserver<JoinClusterResponse> response) {
    GrpcErrors.unary(response, () -> {
      NodeCertificates.Issued issued = certificates.join(request.getToken(), request.getCsr().toByteArray());
      return JoinClusterResponse.newBuilder().setNodeId(issued.nodeId())
          .setRole(NodeCertificates.roleName(issued.role())).setCertificateChainPem(issued.chainPem()).build();
    });
  }

  @Override
  public void renewCertificate(RenewCertificateRequest request, StreamObserver<RenewCertificateResponse> response) {
    GrpcErrors.unary(response, () -> {
      PeerIdentity caller = PeerIdentityInterceptor.PEER.get(Context.current());
      if (caller == null) {
        throw new ShoalException(Status.Code.UNAUTHENTICATED,
            "renewing a certificate needs the current one: connect with the node's certificate");
      }
      return RenewCertificateResponse.newBuilder()
          .setCertificateChainPem(certificates.renew(caller, request.getCsr().toByteArray())).build();
    });
  }
}
