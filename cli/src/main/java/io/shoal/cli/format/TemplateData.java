package io.shoal.cli.format;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import io.shoal.common.time.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An API object as {@code inspect --format} templates see it, in Docker's shape: every field,
 * set or not (Go structs have zero values), named as Docker's Go fields are ({@code spec.name} →
 * {@code .Spec.Name}, {@code service_id} → {@code .ServiceID}); enums by their lower-case word
 * ({@code running}), timestamps in RFC 3339, durations in nanoseconds, map keys as they are.
 */
public final class TemplateData {
  private TemplateData() {}

  public static Map<String, Object> of(MessageOrBuilder message) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
      fields.put(goName(f.getJsonName()), value(f, message.getField(f)));
    }
    return fields;
  }

  /** {@code serviceId} → {@code ServiceID}; {@code id} → {@code ID}. */
  static String goName(String jsonName) {
    String name = Character.toUpperCase(jsonName.charAt(0)) + jsonName.substring(1);
    return name.endsWith("Id") ? name.substring(0, name.length() - 2) + "ID" : name;
  }

  private static Object value(FieldDescriptor f, Object v) {
    if (f.isMapField()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Object entry : (List<?>) v) {
        MapEntry<?, ?> e = (MapEntry<?, ?>) entry;
        FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
        map.put(String.valueOf(e.getKey()), single(valueField, e.getValue()));
      }
      return map;
    }
    if (f.isRepeated()) {
      List<Object> list = new ArrayList<>();
      for (Object item : (List<?>) v) {
        list.add(single(f, item));
      }
      return list;
    }
    return single(f, v);
  }

  private static Object single(FieldDescriptor f, Object v) {
    if (v instanceof Timestamp t) {
      return Timestamps.toInstant(t).toString();
    }
    if (v instanceof Duration d) {
      return d.getSeconds() * 1_000_000_000L + d.getNanos();
    }
    if (v instanceof Message m) {
      return of(m);
    }
    if (v instanceof EnumValueDescriptor e) {
      return enumWord(e);
    }
    if (v instanceof com.google.protobuf.ByteString b) {
      return b.size() + " bytes";
    }
    return v;
  }

  /** {@code TASK_STATE_RUNNING} → {@code running}: the value without its enum's prefix. */
  private static String enumWord(EnumValueDescriptor e) {
    String prefix = e.getType().getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
    String name = e.getName().startsWith(prefix) ? e.getName().substring(prefix.length()) : e.getName();
    return name.toLowerCase(Locale.ROOT);
  }
}
