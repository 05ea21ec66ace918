package io.shoal.common.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Message;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * One etcd transaction: every write is guarded by the version its writer read, so either all of
 * them apply or none does and {@link #commit()} throws {@link ConflictException}.
 */
public final class Txn {
  /** Keys named on a txn's span: enough to see what it wrote, bounded for a scale of thousands. */
  private static final int TRACED_KEYS = 8;

  private final EtcdStore store;
  private final List<Cmp> guards = new ArrayList<>();
  private final List<Op> ops = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();
  /** What the request carries: keys, values and compared values, as etcd counts them. */
  private long bytes;

  Txn(EtcdStore store) {
    this.store = store;
  }

  /** Writes a new object; fails if the key exists. */
  public <T extends Message> Txn create(Table<T> table, String id, T value) {
    return createBytes(EtcdStore.keyOf(table, id), table.encode(value), 0);
  }

  /** Writes a new object attached to {@code leaseId}, so it goes when the lease does; fails if the key exists. */
  public <T extends Message> Txn createLeased(Table<T> table, String id, T value, long leaseId) {
    return createBytes(EtcdStore.keyOf(table, id), table.encode(value), leaseId);
  }

  /** Replaces an object that must still be at {@code version}. */
  public <T extends Message> Txn update(Table<T> table, String id, T value, long version) {
    store.checkWritable(EtcdStore.keyOf(table, id));
    ByteSequence key = guardModRevision(EtcdStore.keyOf(table, id), version);
    byte[] bytes = table.encode(value);
    ops.add(Op.put(key, ByteSequence.from(bytes), PutOption.DEFAULT));
    count(key, bytes.length);
    return this;
  }

  /** Deletes an object that must still be at {@code version}. */
  public Txn delete(Table<?> table, String id, long version) {
    store.checkWritable(EtcdStore.keyOf(table, id));
    ByteSequence key = guardModRevision(EtcdStore.keyOf(table, id), version);
    ops.add(Op.delete(key, DeleteOption.DEFAULT));
    count(key, 0);
    return this;
  }

  /** Writes a new plain string (an index entry); fails if the key exists. */
  public Txn createString(String path, String value) {
    return createBytes(path, value.getBytes(UTF_8), 0);
  }

  /** Deletes a plain key that must still hold {@code value}. */
  public Txn deleteString(String path, String value) {
    store.checkWritable(path);
    ByteSequence key = store.key(path);
    guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(value, UTF_8))));
    keys.add(path);
    ops.add(Op.delete(key, DeleteOption.DEFAULT));
    count(key, 2L * value.length());
    return this;
  }

  /** Claims {@code key} of a unique index for {@code ownerId}; fails if anyone holds it. */
  public Txn claim(Index index, String key, String ownerId) {
    return createString(index.path(key), ownerId);
  }

  /** Releases {@code key} of a unique index, which {@code ownerId} must still hold. */
  public Txn release(Index index, String key, String ownerId) {
    return deleteString(index.path(key), ownerId);
  }

  /** Writes raw bytes, unguarded, attached to {@code leaseId} (0: none). */
  public Txn putBytes(String path, byte[] value, long leaseId) {
    store.checkWritable(path);
    PutOption option = leaseId == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(leaseId).build();
    ByteSequence key = store.key(path);
    ops.add(Op.put(key, ByteSequence.from(value), option));
    count(key, value.length);
    return this;
  }

  /** Guards on a plain key holding {@code value} (e.g. a leader key naming this instance). */
  public Txn requireValue(String path, String value) {
    ByteSequence key = store.key(path);
    guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(value, UTF_8))));
    keys.add(path);
    count(key, value.length());
    return this;
  }

  /** Guards on a plain key being absent. */
  public Txn requireAbsent(String path) {
    ByteSequence key = store.key(path);
    guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)));
    keys.add(path);
    count(key, 0);
    return this;
  }

  private Txn createBytes(String path, byte[] value, long leaseId) {
    store.checkWritable(path);
    requireAbsent(path);
    return putBytes(path, value, leaseId);
  }

  private ByteSequence guardModRevision(String path, long version) {
    ByteSequence key = store.key(path);
    guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(version)));
    keys.add(path);
    count(key, 0);
    return key;
  }

  /** Each key and compared or written value, plus a few bytes of framing per entry. */
  private void count(ByteSequence key, long valueBytes) {
    bytes += key.size() + valueBytes + 16;
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  public int size() {
    return ops.size();
  }

  /** About how many bytes the request sends etcd (its --max-request-bytes applies to this). */
  public long bytes() {
    return bytes;
  }

  /** Where the transaction stands now, to {@link #reset} to if what follows does not fit. */
  Mark mark() {
    return new Mark(guards.size(), ops.size(), keys.size(), bytes);
  }

  /** Drops everything added after {@code mark}. */
  void reset(Mark mark) {
    guards.subList(mark.guards(), guards.size()).clear();
    ops.subList(mark.ops(), ops.size()).clear();
    keys.subList(mark.keys(), keys.size()).clear();
    bytes = mark.bytes();
  }

  record Mark(int guards, int ops, int keys, long bytes) {}

  /**
   * Applies every write, or none. Returns the revision of the write. Inside a traced request it
   * is a span ("etcd txn") of that request's trace; elsewhere (the scheduler's own loop) none.
   */
  public long commit() {
    if (!Span.current().getSpanContext().isSampled()) {
      return send();
    }
    Span span = store.tracer().spanBuilder("etcd txn").setSpanKind(SpanKind.CLIENT)
        .setAttribute("db.system.name", "etcd")
        .setAttribute("db.operation.name", "txn")
        .setAttribute("shoal.etcd.guards", guards.size())
        .setAttribute("shoal.etcd.writes", ops.size())
        .setAttribute("shoal.etcd.keys", String.join(", ", keys.subList(0, Math.min(keys.size(), TRACED_KEYS))))
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      long revision = send();
      span.setAttribute("shoal.etcd.revision", revision);
      return revision;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  private long send() {
    TxnResponse response =
        EtcdStore.await(
            store.client().getKVClient().txn()
                .If(guards.toArray(Cmp[]::new))
                .Then(ops.toArray(Op[]::new))
                .commit());
    if (!response.isSucceeded()) {
      throw new ConflictException("changed concurrently: " + String.join(", ", keys));
    }
    return response.getHeader().getRevision();
  }
}
