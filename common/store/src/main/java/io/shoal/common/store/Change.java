package io.shoal.common.store;

import com.google.protobuf.Message;

/** One object's change as seen by a {@link StoreCache} listener. */
public sealed interface Change<T extends Message> {
  Table<T> table();

  String id();

  /** The object was created or replaced; {@code previous} is null when it is new. */
  record Put<T extends Message>(Table<T> table, String id, T value, T previous)
      implements Change<T> {}

  /** The object was deleted; {@code previous} is what the cache held. */
  record Delete<T extends Message>(Table<T> table, String id, T previous) implements Change<T> {}
}
