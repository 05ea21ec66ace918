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
  private final String name;
  private final Parser<T> parser;
  private final FieldDescriptor versionField;

  public Table(String name, T defaultInstance) {
    this.name = name;
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
    this.versionField = defaultInstance.getDescriptorForType().findFieldByName("version");
    if (versionField == null) {
      throw new IllegalArgumentException(
          defaultInstance.getDescriptorForType().getName() + " has no version field");
    }
  }

  public String name() {
    return name;
  }

  T decode(byte[] bytes, long modRevision) {
    try {
      @SuppressWarnings("unchecked")
      T withVersion =
          (T) parser.parseFrom(bytes).toBuilder().setField(versionField, modRevision).build();
      return withVersion;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt " + name + " value in etcd", e);
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
