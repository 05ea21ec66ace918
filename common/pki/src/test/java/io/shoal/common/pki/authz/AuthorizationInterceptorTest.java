package io.shoal.common.pki.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Role;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may call what: the decision alone, from a verified identity (or none) and the policy. */
class AuthorizationInterceptorTest {
  private static final String CLUSTER = "cluster0123456789abcdefgh";
  private static final PeerIdentity WORKER = new PeerIdentity("worker1", Role.WORKER, CLUSTER);
  private static final PeerIdentity MANAGER = new PeerIdentity("admin", Role.MANAGER, CLUSTER);
  private static final PeerIdentity REMOVED = new PeerIdentity("gone1", Role.WORKER, CLUSTER);

  private final AuthorizationInterceptor interceptor = new AuthorizationInterceptor(CallPolicy.builder()
      .open("shoal.v1.CaService/JoinCluster")
      .allow("shoal.v1.CaService/RenewCertificate", Role.WORKER, Role.MANAGER)
      .allow("shoal.v1.ControlService", Role.MANAGER)
      .build(), Set.of("gone1")::contains, (code, method) -> {});

  private Status check(String method, PeerIdentity caller) {
    return interceptor.check(method, Optional.ofNullable(caller));
  }

  @Test
  void aManagerCallsControlAndAWorkerIsDeniedNamingItsRole() {
    assertThat(check("shoal.v1.ControlService/CreateService", MANAGER)).isNull();

    Status denied = check("shoal.v1.ControlService/CreateService", WORKER);
    assertThat(denied.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.getDescription()).isEqualTo("a worker certificate (worker1) may not call"
        + " shoal.v1.ControlService/CreateService: it is for managers (the control plane and the CLI)");
  }

  @Test
  void withoutACertificateOnlyTheOpenMethodsAnswer() {
    assertThat(check("shoal.v1.CaService/JoinCluster", null)).isNull();

    Status none = check("shoal.v1.CaService/RenewCertificate", null);
    assertThat(none.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(none.getDescription()).startsWith("shoal.v1.CaService/RenewCertificate needs a certificate of this"
        + " cluster");
  }

  @Test
  void aRemovedNodeIsRefusedEverywhereEvenWhereItsRoleWouldDo() {
    assertThat(check("shoal.v1.CaService/RenewCertificate", REMOVED).getDescription())
        .isEqualTo("node gone1 was removed from the cluster (node rm): its certificate no longer works;"
            + " join again with a join token");
    assertThat(check("shoal.v1.CaService/JoinCluster", REMOVED).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(check("shoal.v1.CaService/RenewCertificate", WORKER)).isNull();
  }

  @Test
  void aMethodNobodyListedIsClosed() {
    Status closed = check("shoal.v1.RegistryService/ResolveImage", MANAGER);

    assertThat(closed.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(closed.getDescription()).isEqualTo("no role may call shoal.v1.RegistryService/ResolveImage on this"
        + " service");
  }
}
