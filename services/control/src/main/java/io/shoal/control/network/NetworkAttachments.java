package io.shoal.control.network;

import io.shoal.api.v1.Network;
import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.store.Txn;
import io.shoal.control.limits.SpecLimits;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A service's networks ({@code ServiceSpec.networks}), for {@code ServiceManager}: checked and
 * resolved to network ids before the service is stored, and guarded in the service's own
 * transaction, so a network cannot be deleted between the check and the commit.
 */
public final class NetworkAttachments {
  private static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private final EtcdStore store;
  private final NetworkQueries queries;

  public NetworkAttachments(EtcdStore store) {
    this.store = store;
    this.queries = new NetworkQueries(store);
  }

  /**
   * The spec with each network's target (a name, id or unique id prefix) replaced by the
   * network's id. INVALID_ARGUMENT for a bound broken or a network given twice; NOT_FOUND naming
   * a network that does not exist.
   */
  public ServiceSpec resolve(ServiceSpec spec) {
    SpecLimits.count("ServiceSpec.networks", spec.getNetworksCount(), NetworkLimits.MAX_SERVICE_NETWORKS);
    ServiceSpec.Builder resolved = spec.toBuilder().clearNetworks();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < spec.getNetworksCount(); i++) {
      NetworkAttachmentConfig attachment = spec.getNetworks(i);
      String field = "ServiceSpec.networks[" + i + "]";
      check(field, attachment);
      Network network = queries.lookUp(attachment.getTarget())
          .orElseThrow(() -> ShoalException.notFound("network " + attachment.getTarget() + " not found"));
      if (!ids.add(network.getId())) {
        throw new InvalidArgumentException(field + ".target",
            "network " + network.getSpec().getName() + " is given twice");
      }
      resolved.addNetworks(attachment.toBuilder().setTarget(network.getId()));
    }
    return resolved.build();
  }

  private static void check(String field, NetworkAttachmentConfig attachment) {
    if (attachment.getTarget().isEmpty()) {
      throw new InvalidArgumentException(field + ".target", "a network name or id must be provided");
    }
    SpecLimits.length(field + ".target", attachment.getTarget(), NetworkLimits.MAX_TARGET);
    SpecLimits.count(field + ".aliases", attachment.getAliasesCount(), NetworkLimits.MAX_ALIASES);
    for (int j = 0; j < attachment.getAliasesCount(); j++) {
      String alias = attachment.getAliases(j);
      SpecLimits.length(field + ".aliases[" + j + "]", alias, NetworkLimits.MAX_ALIAS);
      if (!ALIAS.matcher(alias).matches()) {
        throw new InvalidArgumentException(field + ".aliases[" + j + "]",
            "\"" + alias + "\" must match " + ALIAS.pattern());
      }
    }
  }

  /**
   * Adds to {@code txn}, for each network {@code after} uses and {@code before} (null: none) did
   * not, a rewrite of the network as read, guarded by its version: a DeleteNetwork that read the
   * services before this commit then conflicts and sees the service, and a network deleted since
   * the resolve fails this transaction. Networks already in use need no guard: no delete passes
   * while a service uses them.
   *
   * @throws ShoalException NOT_FOUND naming a network that no longer exists
   */
  public void attach(Txn txn, ServiceSpec before, ServiceSpec after) {
    Set<String> had = before == null ? Set.of() : before.getNetworksList().stream()
        .map(NetworkAttachmentConfig::getTarget).collect(Collectors.toSet());
    for (NetworkAttachmentConfig attachment : after.getNetworksList()) {
      String id = attachment.getTarget();
      if (had.contains(id)) {
        continue;
      }
      Network network = store.get(Tables.NETWORKS, id)
          .orElseThrow(() -> ShoalException.notFound("network " + id + " no longer exists"));
      txn.update(Tables.NETWORKS, id, network, network.getVersion());
    }
  }
}
