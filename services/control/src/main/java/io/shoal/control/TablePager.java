package io.shoal.control;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Status;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Table;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table one page at a time for the List RPCs (AIP-158), so no answer outgrows gRPC's
 * message limit and no etcd read outgrows jetcd's: items come in key (id) order, all pages at
 * the revision of the first, so a listing is one snapshot even while tasks churn. A page ends at
 * its page size or before it passes {@link #MAX_PAGE_BYTES}, whichever comes first. The token
 * carries the table, the revision, the filter and the last key looked at.
 *
 * <pre>{@code
 * TablePager.Page<Task> page = pager.page(Tables.TASKS, Task.getDefaultInstance(), filter, request);
 * }</pre>
 */
final class TablePager {
  private static final Logger log = LoggerFactory.getLogger(TablePager.class);
  static final int DEFAULT_PAGE_SIZE = 500;
  static final int MAX_PAGE_SIZE = 1000;
  /** Half of gRPC's default 4 MiB message, so any client with default settings reads a page. */
  static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;
  /** Values per etcd read are sized to about this much (jetcd's inbound default is 4 MiB). */
  static final int READ_BYTES = 2 * 1024 * 1024;
  static final int MAX_READ = 1000;
  private static final int TOKEN_VERSION = 1;
  private static final long TIMEOUT_SECONDS = 10;

  /** A page and the token of the next one, empty on the last. */
  record Page<T>(List<T> items, String nextPageToken) {}

  /** What one listing asks: a filter and its description (kept in the token), and the page. */
  record Request(String filter, int pageSize, String pageToken) {}

  /** The position a token stands for. */
  record Token(String table, long revision, String filter, String filterValue, String after) {}

  private final EtcdStore store;
  /** Corrupt keys already logged: each is logged once, not on every listing. */
  private final Set<String> corruptLogged = ConcurrentHashMap.newKeySet();

  TablePager(EtcdStore store) {
    this.store = store;
  }

  /** The page size to use: 0 means the default, more than the maximum the maximum. */
  static int pageSize(int requested) {
    if (requested < 0) {
      throw new InvalidArgumentException("page_size", requested + " is negative");
    }
    return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
  }

  /**
   * One page of {@code table}: the items {@code keep} accepts, after the token's position.
   * {@code filterValue} is what the filter resolved to on the first page (a service id), kept in
   * the token so later pages filter the same way even if the name changes meanwhile.
   */
  <T extends Message> Page<T> page(Table<T> table, T prototype, Request request, String filterValue,
      Predicate<T> keep) {
    int pageSize = pageSize(request.pageSize());
    Token from = request.pageToken().isEmpty()
        ? new Token(table.name(), 0, request.filter(), filterValue, null)
        : decodeToken(request.pageToken(), table, request.filter());
    FieldDescriptor version = prototype.getDescriptorForType().findFieldByName("version");
    String prefix = store.root() + table.name() + "/";
    ByteSequence end = ByteSequence.from(store.root() + table.name() + "0", UTF_8); // '0' follows '/'
    long revision = from.revision();
    String after = from.after();
    List<T> items = new ArrayList<>();
    long bytes = 0;
    int read = READ_BYTES / SpecLimits.MAX_SPEC_BYTES;
    while (true) {
      ByteSequence start = ByteSequence.from(after == null ? prefix : prefix + after + "\0", UTF_8);
      GetOption.Builder option = GetOption.builder().withRange(end).withLimit(read);
      if (revision > 0) {
        option.withRevision(revision);
      }
      GetResponse response;
      try {
        response = await(store.client().getKVClient().get(start, option.build()), revision);
      } catch (TooLargeException e) {
        if (read == 1) {
          throw new ShoalException(Status.Code.INTERNAL, "a " + table.name() + " value in etcd is larger"
              + " than this control can read");
        }
        read = Math.max(1, read / 2);
        continue;
      }
      if (revision == 0) {
        revision = response.getHeader().getRevision();
      }
      int largest = 1;
      for (KeyValue kv : response.getKvs()) {
        String key = kv.getKey().toString(UTF_8);
        largest = Math.max(largest, kv.getValue().size());
        T item = decode(prototype, version, kv, key);
        if (item != null && keep.test(item)) {
          int size = item.getSerializedSize();
          if (items.size() == pageSize || !items.isEmpty() && bytes + size > MAX_PAGE_BYTES) {
            return new Page<>(items, encodeToken(new Token(table.name(), revision, from.filter(), from.filterValue(), after)));
          }
          items.add(item);
          bytes += size;
        }
        after = key.substring(prefix.length());
      }
      if (!response.isMore()) {
        return new Page<>(items, "");
      }
      read = Math.max(1, Math.min(MAX_READ, READ_BYTES / largest));
    }
  }

  /** A value that does not decode is skipped (and logged once): one bad key must not end listing. */
  @SuppressWarnings("unchecked")
  private <T extends Message> T decode(T prototype, FieldDescriptor version, KeyValue kv, String key) {
    try {
      return (T) prototype.getParserForType().parseFrom(kv.getValue().getBytes()).toBuilder()
          .setField(version, kv.getModRevision()).build();
    } catch (InvalidProtocolBufferException e) {
      if (corruptLogged.size() < 1000 && corruptLogged.add(key)) {
        log.warn("skipping {} in listings: its value does not decode ({})", key, e.getMessage());
      }
      return null;
    }
  }

  static String encodeToken(Token token) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(TOKEN_VERSION);
      out.writeUTF(token.table());
      out.writeLong(token.revision());
      out.writeUTF(token.filter());
      out.writeUTF(token.filterValue());
      out.writeUTF(token.after());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /** The token's position, if it was given out for this table and filter. */
  static Token decodeToken(String pageToken, Table<?> table, String filter) {
    Token token;
    try (DataInputStream in = new DataInputStream(
        new java.io.ByteArrayInputStream(Base64.getUrlDecoder().decode(pageToken)))) {
      if (in.readByte() != TOKEN_VERSION) {
        throw new IOException("unknown version");
      }
      token = new Token(in.readUTF(), in.readLong(), in.readUTF(), in.readUTF(), in.readUTF());
      if (in.available() > 0 || token.revision() <= 0) {
        throw new IOException("malformed");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidArgumentException("page_token", "is not a token this listing gave out");
    }
    if (!token.table().equals(table.name()) || !token.filter().equals(filter)) {
      throw new InvalidArgumentException("page_token", "was given out for another listing; keep every"
          + " field but page_token as it was for the first page");
    }
    return token;
  }

  private static GetResponse await(java.util.concurrent.CompletableFuture<GetResponse> future, long revision) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShoalException(Status.Code.CANCELLED, "interrupted while talking to etcd");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw ShoalException.unavailable("etcd did not answer in time");
    } catch (ExecutionException e) {
      // jetcd hands some failures over as EtcdException, others as the gRPC status itself.
      Throwable cause = e.getCause();
      Status.Code code = cause instanceof EtcdException etcd
          ? Status.Code.valueOf(etcd.getErrorCode().name()) : Status.fromThrowable(cause).getCode();
      switch (code) {
        case RESOURCE_EXHAUSTED -> throw new TooLargeException();
        // A revision compacted away (or, from a forged token, one not reached yet).
        case OUT_OF_RANGE -> throw new ShoalException(Status.Code.ABORTED, "the listing's snapshot (etcd revision "
            + revision + ") is gone: " + cause.getMessage() + "; list again from the first page");
        case UNAVAILABLE, UNKNOWN, DEADLINE_EXCEEDED ->
            throw ShoalException.unavailable("etcd unavailable: " + cause.getMessage());
        default -> throw new ShoalException(Status.Code.INTERNAL, "etcd: " + cause.getMessage());
      }
    }
  }

  /** jetcd refused an answer as larger than its inbound limit: read fewer keys at once. */
  private static final class TooLargeException extends RuntimeException {
    TooLargeException() {
      super(null, null, false, false);
    }
  }
}
