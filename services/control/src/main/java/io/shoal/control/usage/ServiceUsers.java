package io.shoal.control.usage;

import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.util.List;
import java.util.function.Predicate;

/**
 * The services that use a network, a secret or a config, for the FAILED_PRECONDITION that refuses
 * to remove it. Only a service's current spec counts, as in Swarm: a rollback to a spec that used
 * something removed since is refused then.
 */
public final class ServiceUsers {
  /** Services named in the message; the rest are counted. */
  public static final int NAMED_USERS = 10;

  private ServiceUsers() {}

  /** The names, sorted, of the services whose spec {@code uses} says yes to. */
  public static List<String> of(EtcdStore store, Predicate<ServiceSpec> uses) {
    return store.list(Tables.SERVICES).items().stream()
        .filter(s -> uses.test(s.getSpec()))
        .map(s -> s.getSpec().getName()).sorted().toList();
  }

  /** "service web", "services a, b", "services a, …, j and 3 more". */
  public static String named(List<String> services) {
    if (services.size() == 1) {
      return "service " + services.get(0);
    }
    List<String> shown = services.subList(0, Math.min(services.size(), NAMED_USERS));
    int more = services.size() - shown.size();
    return "services " + String.join(", ", shown) + (more > 0 ? " and " + more + " more" : "");
  }
}
