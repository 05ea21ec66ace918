package io.shoal.control.secret;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.shoal.api.v1.Payload;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.ConflictException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Txn;
import io.shoal.control.paging.TablePager;
import io.shoal.control.usage.ServiceUsers;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store side secrets and configs share: an object's metadata, its {@link Payload} and its
 * name are created and deleted together in one guarded transaction; look-ups and listings read
 * the metadata only. What the payload holds (sealed or not) is the caller's.
 */
final class PayloadObjects<T extends Message> {
  private static final Logger log = LoggerFactory.getLogger(PayloadObjects.class);
  /** A delete that keeps losing to services starting to use the object gives up. */
  static final int MAX_ATTEMPTS = 16;

  private final EtcdStore store;
  private final Kind<T> kind;
  private final TablePager pages;

  PayloadObjects(EtcdStore store, Kind<T> kind) {
    this.store = store;
    this.kind = kind;
    this.pages = new TablePager(store);
  }

  /** ALREADY_EXISTS when another object of the kind has {@code name}. */
  void requireFreeName(String name) {
    if (store.owner(kind.names(), name).isPresent()) {
      throw ShoalException.alreadyExists(kind.word() + " " + name + " already exists");
    }
  }

  /**
   * Stores {@code object} (its metadata, with {@code id}) and {@code payload}, and claims its name.
   *
   * @return the object with its version
   * @throws ShoalException ALREADY_EXISTS when the name was taken meanwhile
   */
  T create(String id, T object, byte[] payload) {
    String name = kind.nameOf().apply(object);
    Txn txn = store.txn()
        .create(kind.table(), id, object)
        .claim(kind.names(), name, id)
        .create(kind.payloads(), id, Payload.newBuilder().setId(id).setData(ByteString.copyFrom(payload)).build());
    try {
      long revision = txn.commit();
      log.info("created {} {} ({})", kind.word(), name, id);
      @SuppressWarnings("unchecked")
      T stored = (T) object.toBuilder()
          .setField(object.getDescriptorForType().findFieldByName("version"), revision).build();
      return stored;
    } catch (ConflictException e) {
      requireFreeName(name);
      throw e;
    }
  }

  /** By id, by name, or by a unique id prefix, as Docker resolves references. NOT_FOUND otherwise. */
  T find(String reference) {
    return lookUp(reference)
        .orElseThrow(() -> ShoalException.notFound(kind.word() + " " + reference + " not found"));
  }

  /** As {@link #find}, empty when nothing matches. */
  Optional<T> lookUp(String reference) {
    if (reference.isEmpty()) {
      throw new InvalidArgumentException(kind.word(), "a " + kind.word() + " id or name must be provided");
    }
    Optional<T> byId = store.get(kind.table(), reference);
    if (byId.isPresent()) {
      return byId;
    }
    Optional<T> byName = byName(reference);
    if (byName.isPresent()) {
      return byName;
    }
    List<T> byPrefix = store.list(kind.table()).items().stream()
        .filter(o -> kind.table().idOf(o).startsWith(reference)).toList();
    if (byPrefix.size() > 1) {
      throw new InvalidArgumentException(kind.word(), "id prefix " + reference + " is ambiguous ("
          + byPrefix.size() + " " + kind.word() + "s match)");
    }
    return byPrefix.stream().findFirst();
  }

  /** The object named {@code name} exactly. */
  Optional<T> byName(String name) {
    return store.owner(kind.names(), name).flatMap(id -> store.get(kind.table(), id));
  }

  /** The object with id {@code id} exactly. */
  Optional<T> byId(String id) {
    return store.get(kind.table(), id);
  }

  /** The object's data as stored (sealed, for a secret). */
  Payload payload(String id) {
    return store.get(kind.payloads(), id).orElseThrow(() -> ShoalException.failedPrecondition(
        "the data of " + kind.word() + " " + id + " is missing from " + kind.payloads().name() + "/"));
  }

  /** One page of metadata, in id order. */
  TablePager.Page<T> list(int pageSize, String pageToken) {
    return pages.page(kind.table(), new TablePager.Request("", pageSize, pageToken), "", o -> true);
  }

  /**
   * Deletes an object no service uses, with its data and name. A service that starts using it
   * meanwhile rewrites it ({@link FileReferences#attach}), so the delete, guarded by the version
   * read before the services, conflicts and looks again, as {@code network rm} does.
   */
  void delete(String reference) {
    for (int attempt = 1; ; attempt++) {
      T object = find(reference);
      String id = kind.table().idOf(object);
      String name = kind.nameOf().apply(object);
      List<String> users = ServiceUsers.of(store, spec -> kind.usedBy(spec, id));
      if (!users.isEmpty()) {
        throw ShoalException.failedPrecondition(kind.word() + " " + name + " is in use by " + ServiceUsers.named(users)
            + "; take it off them first (service update --" + kind.word() + "-rm " + name + " SERVICE) or remove them");
      }
      Txn txn = store.txn()
          .delete(kind.table(), id, kind.versionOf().apply(object))
          .release(kind.names(), name, id);
      store.get(kind.payloads(), id).ifPresent(p -> txn.delete(kind.payloads(), id, p.getVersion()));
      try {
        txn.commit();
        log.info("removed {} {} ({})", kind.word(), name, id);
        return;
      } catch (ConflictException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw new ConflictException(kind.word() + " " + name + " kept changing while removing it; retry");
        }
      }
    }
  }
}
