package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Message;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Status;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.shoal.common.errors.ShoalException;
import java.nio.file.Path;
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
   * The largest message taken from etcd. A page of bounded objects is far smaller, and a read
   * that is not is halved until it fits. A watch response can batch many revisions while
   * catching up; one larger than this fails the watch, which StoreCache answers by listing again
   * page by page and watching from there. Bounded so a burst cannot exhaust a small heap.
   */
  public static final int MAX_INBOUND_BYTES = 32 << 20;

  private static final Tracer NO_TRACER = TracerProvider.noop().get("shoal-store");

  private final Client client;
  private final String root;
  /** Whose keys this handle may write; null: any (tests and tools). */
  private final Writer writer;
  /** Spans of transactions made inside a traced request ({@link Txn#commit}); no-op by default. */
  private final Tracer tracer;

  /** {@code root} ends with '/'; tests give each their own root so they never share keys. */
  public EtcdStore(Client client, String root) {
    this(client, root, null, NO_TRACER);
  }

  private EtcdStore(Client client, String root, Writer writer, Tracer tracer) {
    if (!root.endsWith("/")) {
      throw new IllegalArgumentException("etcd key root must end with '/': " + root);
    }
    this.client = client;
    this.root = root;
    this.writer = writer;
    this.tracer = tracer;
  }

  /**
   * A handle on the same client that writes only {@code writer}'s keys: a transaction that would
   * write another's throws {@link IllegalStateException} as the write is added, before anything
   * is sent. Reads and guards (a compare on any key) stay open. Closing either closes the client.
   */
  public EtcdStore writingAs(Writer writer) {
    return new EtcdStore(client, root, writer, tracer);
  }

  /**
   * A handle on the same client whose transactions are spans of {@code tracer} when they are
   * made inside a traced request (a create's txn in its trace); others make no span.
   */
  public EtcdStore tracedBy(Tracer tracer) {
    return new EtcdStore(client, root, writer, tracer);
  }

  Tracer tracer() {
    return tracer;
  }

  /** Whose keys this handle writes; empty when it may write any. */
  public Optional<Writer> writer() {
    return Optional.ofNullable(writer);
  }

  /** Throws unless this handle may write {@code path} (below the root). */
  void checkWritable(String path) {
    if (writer != null && !writer.mayWrite(path)) {
      String own = writer.prefixes().isEmpty() ? "it writes no key"
          : "it writes only under " + String.join("/, ", writer.prefixes()) + "/";
      throw new IllegalStateException("the " + writer.part() + " may not write " + path + ": " + own
          + " (ARCHITECTURE.md, Who owns what)");
    }
  }

  /** A client of plain etcd (tests that start their own). */
  public static EtcdStore connect(String endpoints, String root) {
    return connect(endpoints, root, Optional.empty());
  }

  /**
   * A client of etcd at {@code endpoints}: mutual TLS from {@code certDir}'s files when they are
   * https URLs ({@link EtcdTls}), plain etcd when http.
   *
   * @throws IllegalArgumentException when the endpoints mix schemes, or are https without {@code certDir}
   */
  public static EtcdStore connect(String endpoints, String root, Optional<Path> certDir) {
    String[] urls = endpoints.split(",");
    ClientBuilder builder = Client.builder().endpoints(urls).maxInboundMessageSize(MAX_INBOUND_BYTES);
    if (StoreConfig.https(endpoints, certDir)) {
      builder.sslContext(EtcdTls.clientContext(certDir.get()));
    }
    return new EtcdStore(builder.build(), root);
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

  public static String keyOf(Table<?> table, String id) {
    return table.name() + "/" + id;
  }

  /** How many objects {@code table} holds: a count-only read, which costs etcd no values. */
  public long count(Table<?> table) {
    return await(client.getKVClient().get(key(table.name() + "/"),
        io.etcd.jetcd.options.GetOption.builder().isPrefix(true).withCountOnly(true).build())).getCount();
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

  /**
   * Whether etcd answers a linearizable read (which needs its quorum) within {@code timeout}:
   * a count-only read of one key under this store's root, so it costs etcd next to nothing.
   */
  public boolean reachable(java.time.Duration timeout) {
    CompletableFuture<GetResponse> read = client.getKVClient()
        .get(key("health"), io.etcd.jetcd.options.GetOption.builder().withCountOnly(true).build());
    try {
      read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      read.cancel(true);
      return false;
    }
  }

  /** Lists a table at {@code revision} (0: the newest). */
  public <T extends Message> Listing<T> list(Table<T> table, long revision) {
    List<T> items = new ArrayList<>();
    Range<T> range = range(table, "", revision, PAGE_KEYS);
    items.addAll(range.items());
    while (range.more()) {
      range = range(table, range.lastId(), range.revision(), PAGE_KEYS);
      items.addAll(range.items());
    }
    return new Listing<>(items, range.revision());
  }

  /**
   * Objects read in one request: {@code lastId} is the id of the last key read (an object
   * skipped as corrupt included), where the next range starts; {@code more} says one is needed.
   */
  public record Range<T>(List<T> items, String lastId, long revision, boolean more) {}

  /**
   * Up to {@code limit} objects of {@code table} whose ids sort after {@code afterId} ("": from
   * the first), in id order, at {@code revision} (0: the newest; the answer says which it was).
   * A revision compacted away is a {@link RevisionCompactedException}.
   */
  public <T extends Message> Range<T> range(Table<T> table, String afterId, long revision, int limit) {
    String prefix = table.name() + "/";
    List<T> items = new ArrayList<>();
    GetResponse page = getRange(prefix, afterId, revision, limit);
    String lastId = afterId;
    for (KeyValue kv : page.getKvs()) {
      String key = kv.getKey().toString(UTF_8);
      T item = table.decode(key, kv.getValue().getBytes(), kv.getModRevision());
      if (item != null) {
        items.add(item);
      }
      lastId = key.substring(root.length() + prefix.length());
    }
    long at = revision > 0 ? revision : page.getHeader().getRevision();
    return new Range<>(items, lastId, at, page.isMore() && !page.getKvs().isEmpty());
  }

  /** Reads a plain string value such as a name index entry. */
  /** etcd's newest revision now: a watch from the next one misses no change made after this call. */
  public long currentRevision() {
    // A read of one key (the root itself, which holds nothing) carries the revision in its header.
    return await(client.getKVClient().get(key(""))).getHeader().getRevision();
  }

  public Optional<String> getString(String path) {
    GetResponse response = await(client.getKVClient().get(key(path)));
    return response.getKvs().stream().findFirst().map(kv -> kv.getValue().toString(UTF_8));
  }

  /** Who holds {@code key} of a unique index, if anyone. */
  public Optional<String> owner(Index index, String key) {
    return getString(index.path(key));
  }

  /** Every key of a unique index that is held, read page by page at one revision. */
  public java.util.Set<String> keys(Index index) {
    String prefix = index.name() + "/";
    java.util.Set<String> keys = new java.util.HashSet<>();
    pages(prefix, 0, kv -> keys.add(kv.getKey().toString(UTF_8).substring(root.length() + prefix.length())));
    return keys;
  }

  /** Every held key of a unique index with its holder, read page by page at one revision. */
  public java.util.Map<String, String> owners(Index index) {
    String prefix = index.name() + "/";
    java.util.Map<String, String> owners = new java.util.HashMap<>();
    pages(prefix, 0, kv -> owners.put(kv.getKey().toString(UTF_8).substring(root.length() + prefix.length()),
        kv.getValue().toString(UTF_8)));
    return owners;
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
   */
  private void pages(String prefix, long revision, java.util.function.Consumer<KeyValue> each) {
    String after = "";
    long at = revision;
    while (true) {
      GetResponse page = getRange(prefix, after, at, PAGE_KEYS);
      if (at == 0) {
        at = page.getHeader().getRevision();
      }
      page.getKvs().forEach(each);
      if (!page.isMore() || page.getKvs().isEmpty()) {
        return;
      }
      after = page.getKvs().get(page.getKvs().size() - 1).getKey().toString(UTF_8).substring(root.length() + prefix.length());
    }
  }

  /**
   * Keys under {@code prefix} after {@code prefix + after} ("": all), at most {@code limit}; fewer
   * when that many would not fit {@link #MAX_INBOUND_BYTES} (values written before specs were
   * bounded can be as large as etcd's 1.5 MiB request limit): the read is halved until it fits.
   */
  private GetResponse getRange(String prefix, String after, long revision, int limit) {
    for (int keys = limit; ; keys = keys / 2) {
      try {
        return getRangeOnce(prefix, after, revision, keys);
      } catch (RequestTooLargeException e) {
        if (keys == 1) {
          throw e;
        }
        log.info("reading {} keys of {} at once is over {} bytes; reading {}", keys, prefix, MAX_INBOUND_BYTES, keys / 2);
      }
    }
  }

  private GetResponse getRangeOnce(String prefix, String after, long revision, int limit) {
    // The next key after "x" is "x\0": a range starts just past the last key read.
    ByteSequence from = after.isEmpty() ? key(prefix) : key(prefix + after + "\0");
    GetOption.Builder option = GetOption.builder().withPrefix(key(prefix)).withLimit(limit);
    if (revision > 0) {
      option.withRevision(revision);
    }
    return await(client.getKVClient().get(from, option.build()));
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
      // jetcd hands some failures over as EtcdException, others as the gRPC status itself.
      String code = cause instanceof io.etcd.jetcd.common.exception.EtcdException etcd
          ? etcd.getErrorCode().name() : Status.fromThrowable(cause).getCode().name();
      if (code.equals("OUT_OF_RANGE")) {
        throw new RevisionCompactedException(cause.getMessage());
      }
      if (RequestTooLargeException.describes(cause)) {
        throw new RequestTooLargeException("etcd refused the request for its size: " + cause.getMessage());
      }
      if (cause instanceof io.etcd.jetcd.common.exception.EtcdException etcd
          && etcd.getErrorCode() != io.etcd.jetcd.common.exception.ErrorCode.UNAVAILABLE) {
        throw new ShoalException(Status.Code.INTERNAL, "etcd: " + etcd.getMessage());
      }
      // etcd answered and refused the request (a key twice in one txn, ...): a bug to see, not
      // an outage to wait out.
      if (code.equals("INVALID_ARGUMENT") || code.equals("FAILED_PRECONDITION")) {
        throw new ShoalException(Status.Code.INTERNAL, "etcd refused the request: " + cause.getMessage());
      }
      throw new ShoalException(Status.Code.UNAVAILABLE, "etcd unavailable: " + cause.getMessage());
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
