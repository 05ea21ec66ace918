package io.shoal.common.pki.authz;

import io.shoal.common.pki.Role;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what on one server, by gRPC method or whole service: nobody unless listed (so a
 * new RPC is closed until someone decides), anyone (the join, health), or holders of a
 * certificate of given roles. A method's own rule wins over its service's.
 *
 * <pre>{@code
 * CallPolicy.builder()
 *     .open("shoal.v1.CaService/JoinCluster")
 *     .allow("shoal.v1.CaService/RenewCertificate", Role.WORKER, Role.MANAGER)
 *     .allow("shoal.v1.ControlService", Role.MANAGER)
 *     .build();
 * }</pre>
 */
public final class CallPolicy {
  /** What a rule lets through: anyone (no certificate needed), or these roles. */
  public record Rule(boolean open, Set<Role> roles) {}

  private final Map<String, Rule> rules;

  private CallPolicy(Map<String, Rule> rules) {
    this.rules = Map.copyOf(rules);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The rule for {@code fullMethodName} ("package.Service/Method"), if any. */
  public Optional<Rule> ruleFor(String fullMethodName) {
    Rule method = rules.get(fullMethodName);
    if (method != null) {
      return Optional.of(method);
    }
    int slash = fullMethodName.indexOf('/');
    return slash < 0 ? Optional.empty() : Optional.ofNullable(rules.get(fullMethodName.substring(0, slash)));
  }

  /** Builds a policy; later rules for the same name replace earlier ones. */
  public static final class Builder {
    private final Map<String, Rule> rules = new HashMap<>();

    /** Anyone may call {@code name} (a method or a whole service), even without a certificate. */
    public Builder open(String name) {
      rules.put(name, new Rule(true, Set.of()));
      return this;
    }

    /** Holders of a certificate of one of {@code roles} may call {@code name}. */
    public Builder allow(String name, Role first, Role... more) {
      rules.put(name, new Rule(false, Set.copyOf(EnumSet.of(first, more))));
      return this;
    }

    public CallPolicy build() {
      return new CallPolicy(rules);
    }
  }
}
