package io.shoal.control.ca;

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
import io.shoal.common.pki.Role;
import io.shoal.common.pki.authz.CallPolicy;
import io.shoal.common.pki.authz.CallerIdentity;

/**
 * shoal.v1.CaService on control's port: joins and renewals. The caller's identity comes from its
 * verified client certificate, which the server's authorization interceptor puts in the call's
 * context ({@link CallerIdentity}); {@link #rules} say who may call what.
 */
public final class CaGrpcService extends CaServiceGrpc.CaServiceImplBase {
  /** Anyone may join (the token is the proof); renewing takes the certificate being renewed. */
  public static CallPolicy.Builder rules() {
    return CallPolicy.builder()
        .open(CaServiceGrpc.getJoinClusterMethod().getFullMethodName())
        .allow(CaServiceGrpc.getRenewCertificateMethod().getFullMethodName(), Role.WORKER, Role.MANAGER);
  }

  private final NodeCertificates certificates;

  public CaGrpcService(NodeCertificates certificates) {
    this.certificates = certificates;
  }

  @Override
  public void joinCluster(JoinClusterRequest request, StreamObserver<JoinClusterResponse> response) {
    GrpcErrors.unary(response, () -> {
      NodeCertificates.Issued issued = certificates.join(request.getToken(), request.getCsr().toByteArray());
      return JoinClusterResponse.newBuilder().setNodeId(issued.nodeId())
          .setRole(issued.role().word()).setCertificateChainPem(issued.chainPem()).build();
    });
  }

  @Override
  public void renewCertificate(RenewCertificateRequest request, StreamObserver<RenewCertificateResponse> response) {
    GrpcErrors.unary(response, () -> {
      PeerIdentity caller = CallerIdentity.current().orElse(null);
      if (caller == null) {
        throw new ShoalException(Status.Code.UNAUTHENTICATED,
            "renewing a certificate needs the current one: connect with the node's certificate");
      }
      return RenewCertificateResponse.newBuilder()
          .setCertificateChainPem(certificates.renew(caller, request.getCsr().toByteArray())).build();
    });
  }
}
