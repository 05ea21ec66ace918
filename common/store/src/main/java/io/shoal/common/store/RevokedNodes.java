package io.shoal.common.store;

import java.util.List;

/**
 * The nodes removed from the cluster ({@code revoked_nodes/}, control's), kept current by a
 * watch: every TLS server asks it on each call whether the caller's node was removed, so a
 * removed node's certificate stops working at once, open connections included.
 *
 * <p>Until {@link #start()} has listed the table, nothing is revoked: servers start it before
 * they serve.
 */
public final class RevokedNodes implements AutoCloseable {
  private final EtcdStore store;
  private volatile StoreCache cache;

  public RevokedNodes(EtcdStore store) {
    this.store = store;
  }

  /** Lists the removed nodes and watches for more. */
  public RevokedNodes start() {
    cache = new StoreCache(store, List.of(Tables.REVOKED_NODES), changes -> { }).start();
    return this;
  }

  /** Whether {@code nodeId} was removed. */
  public boolean contains(String nodeId) {
    StoreCache current = cache;
    return current != null && current.get(Tables.REVOKED_NODES, nodeId).isPresent();
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
  }
}
