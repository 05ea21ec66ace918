package io.shoal.control;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.common.objects.NodeViews;
import io.shoal.common.store.Change;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.StoreCache;
import io.shoal.common.store.Tables;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every newly registered node its spec. The dispatcher reports a node in its own key
 * ({@code node_registrations/<id>}) and writes no spec; control, the only writer of
 * {@code nodes/<id>}, sees the registration (list, then watch) and stores Swarm's default
 * spec (active, no labels) if the node has none, so `node ls` lists it.
 *
 * <p>Every control replica runs one: the create is guarded by the key being absent, so one
 * lands and the others find it done. An etcd error is retried.
 *
 * <pre>{@code
 * NodeSpecCreator creator = component.nodeSpecCreator().start();
 * ...
 * creator.close();
 * }</pre>
 */
public final class NodeSpecCreator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeSpecCreator.class);
  static final long RETRY_SECONDS = 1;

  private final EtcdStore store;
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-specs");
    t.setDaemon(true);
    return t;
  });
  private StoreCache cache;

  @Inject
  public NodeSpecCreator(EtcdStore store) {
    this.store = store;
  }

  /** Lists nodes and registrations (creating the specs missing already) and watches for new nodes. */
  public NodeSpecCreator start() {
    // Assigned before it starts: the listener reads it from the first listing on.
    cache = new StoreCache(store, List.of(Tables.NODES, Tables.NODE_REGISTRATIONS), this::onChanges);
    cache.start();
    return this;
  }

  /** On the watch thread: only hands the registrations of nodes with no spec to the writer. */
  private void onChanges(List<Change<?>> changes) {
    for (Change<?> change : changes) {
      if (change instanceof Change.Put<?> put && put.value() instanceof NodeRegistration r
          && cache.get(Tables.NODES, r.getId()).isEmpty()) {
        writer.execute(() -> createOrRetry(r));
      }
    }
  }

  private void createOrRetry(NodeRegistration registration) {
    try {
      create(registration);
    } catch (RuntimeException e) {
      log.warn("could not store the spec of node {}; retrying in {}s: {}", registration.getId(), RETRY_SECONDS,
          e.toString());
      writer.schedule(() -> createOrRetry(registration), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Stores the default spec of a registered node that has none. Visible for tests. */
  void create(NodeRegistration registration) {
    if (store.get(Tables.NODES, registration.getId()).isPresent()) {
      return;
    }
    Node node = NodeViews.newNode(registration);
    try {
      // Not for a removed node whose registration the dispatcher has not dropped yet.
      store.txn().create(Tables.NODES, node.getId(), node)
          .requireAbsent(EtcdStore.keyOf(Tables.REVOKED_NODES, node.getId())).commit();
      log.info("node {} ({}) has joined", node.getId(), registration.getDescription().getHostname());
    } catch (ConflictException e) {
      log.debug("node {} got its spec meanwhile (another replica, or a `node update`), or was removed",
          node.getId());
    }
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
    writer.shutdownNow();
  }
}
