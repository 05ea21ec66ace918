package io.shoal.cli.service;

import io.shoal.api.v1.NetworkAttachmentConfig;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.CliException;
import io.shoal.cli.client.ControlClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code service update --network-add/--network-rm}, as Docker applies them: each network is
 * looked up by name or id first (an unknown one fails the update), removals go before additions,
 * and adding a network the service is on already is an error.
 */
public final class NetworkUpdateOptions {
  @Option(
      names = "--network-add",
      paramLabel = "NETWORK",
      converter = NetworkOptions.AttachmentConverter.class,
      description = "Add a network: NAME or name=NAME[,alias=ALIAS...]")
  List<NetworkAttachmentConfig> add = new ArrayList<>();

  @Option(names = "--network-rm", paramLabel = "NETWORK", description = "Remove a network, by name or id")
  List<String> remove = new ArrayList<>();

  /** The networks to add and remove, as ids; looked up once, before the service is read. */
  record Resolved(List<NetworkAttachmentConfig> add, Map<String, String> remove) {
    static final Resolved NONE = new Resolved(List.of(), Map.of());
  }

  /** Looks every named network up; a NOT_FOUND from control ends the update. */
  Resolved resolve(ControlClient control) {
    if (add.isEmpty() && remove.isEmpty()) {
      return Resolved.NONE;
    }
    Map<String, String> removeIds = new LinkedHashMap<>();
    remove.forEach(name -> removeIds.put(control.getNetwork(name).getId(), name));
    List<NetworkAttachmentConfig> addIds = add.stream()
        .map(a -> a.toBuilder().setTarget(control.getNetwork(a.getTarget()).getId()).build()).toList();
    return new Resolved(addIds, removeIds);
  }

  /**
   * Applies {@code resolved} to {@code spec}; returns the networks given to --network-rm that
   * the service was not on.
   */
  List<String> applyTo(ServiceSpec.Builder spec, Resolved resolved) {
    if (resolved == Resolved.NONE) {
      return List.of();
    }
    List<NetworkAttachmentConfig> networks = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    Map<String, String> toRemove = new LinkedHashMap<>(resolved.remove());
    for (NetworkAttachmentConfig n : spec.getNetworksList()) {
      if (toRemove.remove(n.getTarget()) == null) {
        networks.add(n);
      }
    }
    unmatched.addAll(toRemove.values());
    for (int i = 0; i < resolved.add().size(); i++) {
      NetworkAttachmentConfig n = resolved.add().get(i);
      if (networks.stream().anyMatch(existing -> existing.getTarget().equals(n.getTarget()))) {
        throw new CliException("service " + spec.getName() + " is already attached to network "
            + add.get(i).getTarget());
      }
      networks.add(n);
    }
    spec.clearNetworks().addAllNetworks(networks);
    return unmatched;
  }
}
