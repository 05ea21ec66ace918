package io.shoal.common.server.tls;

import io.grpc.ServerInterceptor;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.authz.AuthorizationInterceptor;
import io.shoal.common.pki.authz.CallPolicy;
import io.shoal.common.telemetry.Telemetry;
import java.util.List;
import java.util.function.Predicate;

/**
 * The interceptors a service's gRPC server runs: with TLS, the {@link AuthorizationInterceptor}
 * over the service's own rules plus health (any member) and reflection (managers); without TLS
 * (--insecure) none, as there is no identity to check.
 */
public final class ServerAuthorization {
  private ServerAuthorization() {}

  /** {@code rules} with health and reflection added; {@code revoked} says which nodes were removed. */
  public static List<ServerInterceptor> interceptors(ServiceTls tls, CallPolicy.Builder rules,
      Predicate<String> revoked, Telemetry telemetry, String service) {
    if (!tls.enabled()) {
      return List.of();
    }
    CallPolicy policy = rules
        .allow("grpc.health.v1.Health", Role.WORKER, Role.MANAGER)
        .allow("grpc.reflection.v1.ServerReflection", Role.MANAGER)
        .allow("grpc.reflection.v1alpha.ServerReflection", Role.MANAGER)
        .build();
    return List.of(new AuthorizationInterceptor(policy, revoked, new CallRefusalLog(telemetry.meter(service))));
  }
}
