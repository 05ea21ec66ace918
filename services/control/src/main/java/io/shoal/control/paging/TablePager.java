package io.shoal.control.paging;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.RevisionCompactedException;
import io.shoal.common.store.Table;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a table one page at a time for the List RPCs (AIP-158), so no answer outgrows gRPC's
 * message limit: items come in key (id) order, all pages at
 * the revision of the first, so a listing is one snapshot even while tasks churn. A page ends at
 * its page size or before it passes {@link #MAX_PAGE_BYTES}, whichever comes first. The token
 * carries the table, the revision, the filter and the last key looked at.
 *
 * <pre>{@code
 * TablePager.Page<Task> page = pager.page(Tables.TASKS, request, serviceId, t -> t.getServiceId().equals(serviceId));
 * }</pre>
 */
public final class TablePager {
  public static final int DEFAULT_PAGE_SIZE = 500;
  public static final int MAX_PAGE_SIZE = 1000;
  /** Half of gRPC's default 4 MiB message, so any client with default settings reads a page. */
  public static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;
  /** Objects per etcd read: the store's own page (the store takes answers far larger). */
  public static final int READ_KEYS = 500;
  private static final int TOKEN_VERSION = 1;

  /**
   * A page and the token of the next one, empty on the last. Its items' ids lie in
   * ({@code after}, {@code last}], read at {@code revision}: what {@link #alongside} reads too.
   */
  public record Page<T>(List<T> items, String nextPageToken, long revision, String after, String last) {
    /** The same page with each item replaced. */
    public <R> Page<R> map(java.util.function.Function<T, R> f) {
      return new Page<>(items.stream().map(f).toList(), nextPageToken, revision, after, last);
    }
  }

  /** What one listing asks: a filter and its description (kept in the token), and the page. */
  public record Request(String filter, int pageSize, String pageToken) {}

  /** The position a token stands for. */
  public record Token(String table, long revision, String filter, String filterValue, String after) {}

  private final EtcdStore store;

  public TablePager(EtcdStore store) {
    this.store = store;
  }

  /** The page size to use: 0 means the default, more than the maximum the maximum. */
  public static int pageSize(int requested) {
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
  public <T extends Message> Page<T> page(Table<T> table, Request request, String filterValue, Predicate<T> keep) {
    int pageSize = pageSize(request.pageSize());
    Token from = request.pageToken().isEmpty()
        ? new Token(table.name(), 0, request.filter(), filterValue, "")
        : decodeToken(request.pageToken(), table, request.filter());
    long revision = from.revision();
    String after = from.after();
    List<T> items = new ArrayList<>();
    long bytes = 0;
    while (true) {
      EtcdStore.Range<T> range = range(table, after, revision);
      revision = range.revision();
      for (T item : range.items()) {
        if (keep.test(item)) {
          int size = item.getSerializedSize();
          if (items.size() == pageSize || !items.isEmpty() && bytes + size > MAX_PAGE_BYTES) {
            return new Page<>(items, encodeToken(new Token(table.name(), revision, from.filter(), from.filterValue(), after)),
                revision, from.after(), after);
          }
          items.add(item);
          bytes += size;
        }
        after = table.idOf(item);
      }
      // Past the last key read, a corrupt one included.
      after = range.lastId();
      if (!range.more()) {
        return new Page<>(items, "", revision, from.after(), items.isEmpty() ? after : table.idOf(items.get(items.size() - 1)));
      }
    }
  }

  /**
   * The objects of {@code other} whose ids the page spans, by id, at the page's revision: the
   * other half of an object kept under two keys (a service's status, a node's registration).
   */
  public <O extends Message> java.util.Map<String, O> alongside(Page<?> page, Table<O> other) {
    java.util.Map<String, O> found = new java.util.HashMap<>();
    String after = page.after();
    while (!page.items().isEmpty()) {
      EtcdStore.Range<O> range = range(other, after, page.revision());
      for (O item : range.items()) {
        String id = other.idOf(item);
        if (id.compareTo(page.last()) > 0) {
          return found;
        }
        found.put(id, item);
      }
      if (!range.more()) {
        break;
      }
      after = range.lastId();
    }
    return found;
  }

  private <T extends Message> EtcdStore.Range<T> range(Table<T> table, String after, long revision) {
    try {
      return store.range(table, after, revision, READ_KEYS);
    } catch (RevisionCompactedException e) {
      throw new ShoalException(Status.Code.ABORTED, "the listing's snapshot (etcd revision " + revision
          + ") is gone: " + e.getMessage() + "; list again from the first page");
    }
  }

  public static String encodeToken(Token token) {
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
  public static Token decodeToken(String pageToken, Table<?> table, String filter) {
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

}
