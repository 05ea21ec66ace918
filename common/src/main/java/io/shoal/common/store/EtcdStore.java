package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Message;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Status;
import io.shoal.common.errors.ShoalException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Typed access to Shoal's state in etcd. Reads return objects with their {@code version} set to
 * the key's mod_revision; every write goes through a {@link Txn} guarded by those versions.
 *
 * <pre>{@code
 * EtcdStore store = new EtcdStore(client, "/shoal/v1/");
 * Listing<Service> services = store.list(Tables.SERVICES);
 * store.txn().update(Tables.SERVICES, s.getId(), changed, s.getVersion()).commit();
 * }</pre>
 */
public final class EtcdStore implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EtcdStore.class);
  static final long TIMEOUT_SECONDS = 10;
  /**
   * Keys per range request when listing a table. With objects of up to ~100 KiB (a 64 KiB spec
   * and its status), a page stays far below {@link #MAX_INBOUND_BYTES}; a whole table in one
   * response would not (past ~9,000 tasks it broke jetcd's 4 MiB default).
   */
  static final int PAGE_KEYS = 500;
  /**
   * The largest message taken from etcd. Pages are far smaller; a watch response can batch many
   * revisions while catching up, and one that is larger still fails the watch, which StoreCache
   * answers by listing again (page by page) and watching from there.
   */
  public static final int MAX_INBOUND_BYTES = 128 << 20;

  private final Client client;
  private final String root;

  /** {@code root} ends with '/'; tests give each their own root so they never share keys. */
  public EtcdStore(Client client, String root) {
    if (!root.endsWith("/")) {
      throw new IllegalArgumentException("etcd key root must end with '/': " + root);
    }
    this.client = client;
    this.root = root;
  }

  public static EtcdStore connect(String endpoints, String root) {
    return new EtcdStore(
        Client.builder().endpoints(endpoints.split(",")).maxInboundMessageSize(MAX_INBOUND_BYTES).build(), root);
  }

  public Client client() {
    return client;
  }

  public String root() {
    return root;
  }

  ByteSequence key(String path) {
    return ByteSequence.from(root + path, UTF_8);
  }

  static String keyOf(Table<?> table, String id) {
    return table.name() + "/" + id;
  }

  public <T extends Message> Optional<T> get(Table<T> table, String id) {
    GetResponse response = await(client.getKVClient().get(key(keyOf(table, id))));
    return response.getKvs().stream()
        .findFirst()
        .map(kv -> table.decode(kv.getKey().toString(UTF_8), kv.getValue().getBytes(), kv.getModRevision()));
  }

  public <T extends Message> Listing<T> list(Table<T> table) {
    return list(table, 0);
  }

  /** Lists a table at {@code revision} (0: the newest). */
  public <T extends Message> Listing<T> list(Table<T> table, long revision) {
    List<T> items = new ArrayList<>();
    long at = pages(table.name() + "/", revision, kv -> {
      T item = table.decode(kv.getKey().toString(UTF_8), kv.getValue().getBytes(), kv.getModRevision());
      if (item != null) {
        items.add(item);
      }
    });
    return new Listing<>(items, at);
  }

  /** Reads a plain string value such as a name index entry. */
  public Optional<String> getString(String path) {
    GetResponse response = await(client.getKVClient().get(key(path)));
    return response.getKvs().stream().findFirst().map(kv -> kv.getValue().toString(UTF_8));
  }

  /** Raw values under a prefix, keyed by the path below {@code prefix}. */
  public List<KeyValue> listRaw(String prefix) {
    List<KeyValue> all = new ArrayList<>();
    pages(prefix, 0, all::add);
    return all;
  }

  /**
   * Reads every key under {@code prefix} in pages of {@link #PAGE_KEYS}, all at one revision
   * ({@code revision}, or the first page's when 0), so the pages add up to one consistent view.
   * Returns that revision.
   */
  private long pages(String prefix, long revision, java.util.function.Consumer<KeyValue> each) {
    ByteSequence range = key(prefix);
    ByteSequence from = range;
    long at = revision;
    while (true) {
      GetOption.Builder option = GetOption.builder().withPrefix(range).withLimit(PAGE_KEYS);
      if (at > 0) {
        option.withRevision(at);
      }
      GetResponse page = await(client.getKVClient().get(from, option.build()));
      if (at == 0) {
        at = page.getHeader().getRevision();
      }
      page.getKvs().forEach(each);
      if (!page.isMore() || page.getKvs().isEmpty()) {
        return at;
      }
      // The next page starts just after this page's last key.
      ByteSequence last = page.getKvs().get(page.getKvs().size() - 1).getKey();
      from = last.concat(ByteSequence.from(new byte[] {0}));
    }
  }

  public Txn txn() {
    return new Txn(this);
  }

  /** Grants a lease of {@code ttlSeconds}; the caller keeps it alive. */
  public long grantLease(long ttlSeconds) {
    return await(client.getLeaseClient().grant(ttlSeconds)).getID();
  }

  /**
   * Keeps a lease alive until the returned handle is closed, over the client's one shared
   * keep-alive stream (renewed every third of its TTL): no call per renewal, however many leases.
   * {@code onLost} runs once if etcd reports the lease gone or it lapses unrenewed (etcd out of
   * reach for longer than its TTL); not after the handle is closed.
   */
  public AutoCloseable keepLeaseAlive(long leaseId, Runnable onLost) {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable lost = () -> {
      if (done.compareAndSet(false, true)) {
        onLost.run();
      }
    };
    io.etcd.jetcd.support.CloseableClient keepAlive = client.getLeaseClient().keepAlive(leaseId,
        new io.grpc.stub.StreamObserver<io.etcd.jetcd.lease.LeaseKeepAliveResponse>() {
          @Override
          public void onNext(io.etcd.jetcd.lease.LeaseKeepAliveResponse response) {
            if (response.getTTL() <= 0) {
              lost.run();
            }
          }

          @Override
          public void onError(Throwable t) {
            // jetcd reports a broken keep-alive stream to every lease and reconnects by itself;
            // only NOT_FOUND means this lease is gone.
            if (t instanceof io.etcd.jetcd.common.exception.EtcdException e
                && e.getErrorCode() == io.etcd.jetcd.common.exception.ErrorCode.NOT_FOUND) {
              lost.run();
            } else {
              log.debug("keep-alive of lease {} interrupted; jetcd reconnects: {}", leaseId, t.toString());
            }
          }

          @Override
          public void onCompleted() {
            lost.run(); // its deadline passed unrenewed: jetcd stopped keeping it alive
          }
        });
    return () -> {
      if (done.compareAndSet(false, true)) {
        keepAlive.close();
      }
    };
  }

  /** Renews a lease once; false when it has already expired. */
  public boolean keepAlive(long leaseId) {
    try {
      return await(client.getLeaseClient().keepAliveOnce(leaseId)).getTTL() > 0;
    } catch (ShoalException e) {
      if (e.code() == Status.Code.UNAVAILABLE) {
        throw e;
      }
      return false;
    }
  }

  public void revokeLease(long leaseId) {
    try {
      await(client.getLeaseClient().revoke(leaseId));
    } catch (ShoalException e) {
      // A lease that already expired needs no revoking; anything else is worth retrying later.
      if (e.code() == Status.Code.UNAVAILABLE) {
        throw e;
      }
    }
  }

  static <V> V await(CompletableFuture<V> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShoalException(Status.Code.CANCELLED, "interrupted while talking to etcd");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ShoalException(Status.Code.UNAVAILABLE, "etcd did not answer in time");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (RequestTooLargeException.describes(cause)) {
        throw new RequestTooLargeException("etcd refused the request for its size: " + cause.getMessage());
      }
      if (cause instanceof io.etcd.jetcd.common.exception.EtcdException etcd
          && etcd.getErrorCode() != io.etcd.jetcd.common.exception.ErrorCode.UNAVAILABLE) {
        throw new ShoalException(Status.Code.INTERNAL, "etcd: " + etcd.getMessage());
      }
      throw new ShoalException(Status.Code.UNAVAILABLE, "etcd unavailable: " + cause.getMessage());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
