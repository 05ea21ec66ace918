package io.shoal.common.store;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * A kind of object stored under {@code <root>/<name>/<id>} as binary protobuf. Every message
 * kept in a table has an {@code int64 version} field: it is never stored, and is filled from the
 * key's mod_revision on every read.
 */
public final class Table<T extends Message> {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Table.class);
  /** Keys already logged as corrupt; bounded, so a flood of bad values cannot grow memory. */
  private static final java.util.Set<String> LOGGED_KEYS = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final int MAX_LOGGED_KEYS = 10_000;
  private final String name;
  private final Parser<T> parser;
  private final FieldDescriptor versionField;
  private final String typeName;
  private final FieldDescriptor idField;

  public Table(String name, T defaultInstance) {
    this.name = name;
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
    this.versionField = defaultInstance.getDescriptorForType().findFieldByName("version");
    this.typeName = defaultInstance.getDescriptorForType().getFullName();
    var descriptor = defaultInstance.getDescriptorForType();
    this.idField = java.util.stream.Stream.of("id", "node_id", "service_id")
        .map(descriptor::findFieldByName).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    if (versionField == null) {
      throw new IllegalArgumentException(
          defaultInstance.getDescriptorForType().getName() + " has no version field");
    }
  }

  public String name() {
    return name;
  }

  /**
   * The id an object is stored under: its {@code id}, or {@code node_id} (sessions) or
   * {@code service_id} (service statuses), which name the object they are about.
   */
  public String idOf(T item) {
    return (String) item.getField(idField);
  }

  /**
   * The object at {@code key}, or null when its value does not decode. A corrupt value must not
   * stop every reader of the table for ever: it is skipped as if absent, counted in
   * {@link StoreMetrics#corruptValues()}, and logged once per key.
   */
  public T decode(String key, byte[] bytes, long modRevision) {
    try {
      @SuppressWarnings("unchecked")
      T withVersion =
          (T) parser.parseFrom(bytes).toBuilder().setField(versionField, modRevision).build();
      return withVersion;
    } catch (InvalidProtocolBufferException e) {
      StoreMetrics.CORRUPT_VALUES.increment();
      if (LOGGED_KEYS.size() < MAX_LOGGED_KEYS && LOGGED_KEYS.add(key)) {
        log.error("skipping {}: its value (revision {}) is not a {} ({}); remove it with `etcdctl del {}`",
            key, modRevision, typeName, e.getMessage(), key);
      }
      return null;
    }
  }

  byte[] encode(T message) {
    return message.toBuilder().clearField(versionField).build().toByteArray();
  }

  @Override
  public String toString() {
    return name;
  }
}
