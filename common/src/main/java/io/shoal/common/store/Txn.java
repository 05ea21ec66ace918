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
import java.util.ArrayList;
import java.util.List;

/**
 * One etcd transaction: every write is guarded by the version its writer read, so either all of
 * them apply or none does and {@link #commit()} throws {@link ConflictException}.
 */
public final class Txn {
  private final EtcdStore store;
  private final List<Cmp> guards = new ArrayList<>();
  private final List<Op> ops = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();

  Txn(EtcdStore store) {
    this.store = store;
  }

  /** Writes a new object; fails if the key exists. */
  public <T extends Message> Txn create(Table<T> table, String id, T value) {
    return createBytes(EtcdStore.keyOf(table, id), table.encode(value), 0);
  }

  /** Replaces an object that must still be at {@code version}. */
  public <T extends Message> Txn update(Table<T> table, String id, T value, long version) {
    ByteSequence key = guardModRevision(EtcdStore.keyOf(table, id), version);
    ops.add(Op.put(key, ByteSequence.from(table.encode(value)), PutOption.DEFAULT));
    return this;
  }

  /** Deletes an object that must still be at {@code version}. */
  public Txn delete(Table<?> table, String id, long version) {
    ByteSequence key = guardModRevision(EtcdStore.keyOf(table, id), version);
    ops.add(Op.delete(key, DeleteOption.DEFAULT));
    return this;
  }

  /** Writes a new plain string (an index entry); fails if the key exists. */
  public Txn createString(String path, String value) {
    return createBytes(path, value.getBytes(UTF_8), 0);
  }

  /** Deletes a plain key that must still hold {@code value}. */
  public Txn deleteString(String path, String value) {
    ByteSequence key = store.key(path);
    guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(value, UTF_8))));
    keys.add(path);
    ops.add(Op.delete(key, DeleteOption.DEFAULT));
    return this;
  }

  /** Writes raw bytes, unguarded, attached to {@code leaseId} (0: none). */
  public Txn putBytes(String path, byte[] value, long leaseId) {
    PutOption option = leaseId == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(leaseId).build();
    ops.add(Op.put(store.key(path), ByteSequence.from(value), option));
    return this;
  }

  /** Guards on a plain key holding {@code value} (e.g. a leader key naming this instance). */
  public Txn requireValue(String path, String value) {
    guards.add(new Cmp(store.key(path), Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(value, UTF_8))));
    keys.add(path);
    return this;
  }

  /** Guards on a plain key being absent. */
  public Txn requireAbsent(String path) {
    guards.add(new Cmp(store.key(path), Cmp.Op.EQUAL, CmpTarget.version(0)));
    keys.add(path);
    return this;
  }

  private Txn createBytes(String path, byte[] value, long leaseId) {
    requireAbsent(path);
    return putBytes(path, value, leaseId);
  }

  private ByteSequence guardModRevision(String path, long version) {
    ByteSequence key = store.key(path);
    guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(version)));
    keys.add(path);
    return key;
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  public int size() {
    return ops.size();
  }

  /** Applies every write, or none. Returns the revision of the write. */
  public long commit() {
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
