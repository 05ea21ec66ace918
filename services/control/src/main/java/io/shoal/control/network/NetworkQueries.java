package io.shoal.control.network;

import io.shoal.api.v1.Network;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.control.paging.TablePager;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Networks as the user reads them: look-ups by reference and listings one page at a time. */
public final class NetworkQueries {
  private final EtcdStore store;
  private final TablePager pages;

  @Inject
  public NetworkQueries(EtcdStore store) {
    this.store = store;
    this.pages = new TablePager(store);
  }

  /** By id, by name, or by a unique id prefix, as Docker resolves network references. */
  public Network find(String reference) {
    return lookUp(reference).orElseThrow(() -> ShoalException.notFound("network " + reference + " not found"));
  }

  /** As {@link #find}, empty when nothing matches. */
  Optional<Network> lookUp(String reference) {
    if (reference.isEmpty()) {
      throw new InvalidArgumentException("network", "a network id or name must be provided");
    }
    Optional<Network> byId = store.get(Tables.NETWORKS, reference);
    if (byId.isPresent()) {
      return byId;
    }
    Optional<String> idByName = store.owner(Tables.NETWORK_NAMES, reference);
    if (idByName.isPresent()) {
      Optional<Network> byName = store.get(Tables.NETWORKS, idByName.get());
      if (byName.isPresent()) {
        return byName;
      }
    }
    List<Network> byPrefix = store.list(Tables.NETWORKS).items().stream()
        .filter(n -> n.getId().startsWith(reference)).toList();
    if (byPrefix.size() > 1) {
      throw new InvalidArgumentException("network",
          "id prefix " + reference + " is ambiguous (" + byPrefix.size() + " networks match)");
    }
    return byPrefix.stream().findFirst();
  }

  /** One page of networks, in id order. */
  public TablePager.Page<Network> list(int pageSize, String pageToken) {
    return pages.page(Tables.NETWORKS, new TablePager.Request("", pageSize, pageToken), "", n -> true);
  }
}
