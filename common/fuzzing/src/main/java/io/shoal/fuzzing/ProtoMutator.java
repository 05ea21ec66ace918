package io.shoal.fuzzing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Random;

/**
 * Mutates a protobuf message the way a careless or hostile client would: a field anywhere in its
 * tree, set or not, gets an edge value of its type (empty and huge strings, control characters,
 * 0, -1, the extremes, enum numbers no version defines), a repeated or map field gains entries or
 * loses them all, a message field is cleared. Driven by the descriptors, so a field added to the
 * API is fuzzed without a change here; seeded, so a failing run can be replayed.
 */
public final class ProtoMutator {
  private static final List<String> STRINGS = List.of("", " ", "a", "-", ".", "..", "/", "a=b", "a:b", "==",
      "\0", "\n", "é", "\uD83D\uDE00", "%s", "${X}", "{{.Node.ID}}", "node.labels.a==b", "busybox", "1s", "-1s",
      "10.0.0.0/8", "::1", "127.0.0.1:8080");
  private static final long[] LONGS = {0, 1, -1, 2, 63, 64, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE,
      Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 10_000, 10_001};

  private final Random random;

  public ProtoMutator(long seed) {
    this.random = new Random(seed);
  }

  /** {@code seed} after one to {@code maxEdits} edits. */
  @SuppressWarnings("unchecked")
  public <M extends Message> M mutate(M seed, int maxEdits) {
    Message.Builder b = seed.toBuilder();
    int edits = 1 + random.nextInt(maxEdits);
    for (int i = 0; i < edits; i++) {
      edit(b, 0);
    }
    return (M) b.build();
  }

  private void edit(Message.Builder b, int depth) {
    List<FieldDescriptor> fields = b.getDescriptorForType().getFields();
    if (fields.isEmpty()) {
      return;
    }
    FieldDescriptor f = fields.get(random.nextInt(fields.size()));
    if (f.isMapField() || f.isRepeated()) {
      editRepeated(b, f, depth);
    } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (random.nextInt(5) == 0) {
        b.clearField(f);
      } else if (depth < 6) {
        // Through a copy, not getFieldBuilder, which map entries do not support.
        Message.Builder inner = ((Message) b.getField(f)).toBuilder();
        edit(inner, depth + 1);
        b.setField(f, inner.build());
      }
    } else {
      b.setField(f, value(f));
    }
  }

  private void editRepeated(Message.Builder b, FieldDescriptor f, int depth) {
    if (random.nextInt(4) == 0) {
      b.clearField(f);
      return;
    }
    boolean messages = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
    // Many entries (past the API's counts) for scalars; a few for messages, which nest.
    int add = 1 + (!messages && random.nextInt(8) == 0 ? random.nextInt(2000) : random.nextInt(3));
    for (int i = 0; i < add; i++) {
      if (messages) {
        if (depth >= 3) {
          return;
        }
        Message.Builder element = b.newBuilderForField(f);
        for (int j = random.nextInt(4); j > 0; j--) {
          edit(element, depth + 1);
        }
        b.addRepeatedField(f, element.build());
      } else {
        b.addRepeatedField(f, value(f));
      }
    }
  }

  private Object value(FieldDescriptor f) {
    return switch (f.getJavaType()) {
      case STRING -> string();
      case INT -> (int) number();
      case LONG -> number();
      case BOOLEAN -> random.nextBoolean();
      case FLOAT -> (float) number() / (random.nextBoolean() ? 1 : 3);
      case DOUBLE -> (double) number() / (random.nextBoolean() ? 1 : 3);
      case BYTE_STRING -> ByteString.copyFromUtf8(string());
      case ENUM -> enumValue(f.getEnumType());
      case MESSAGE -> throw new IllegalStateException("messages are edited, not valued: " + f.getFullName());
    };
  }

  private String string() {
    return switch (random.nextInt(6)) {
      case 0 -> "x".repeat(random.nextInt(10) == 0 ? 70_000 : 1 + random.nextInt(300));
      case 1 -> STRINGS.get(random.nextInt(STRINGS.size())).repeat(1 + random.nextInt(40));
      default -> STRINGS.get(random.nextInt(STRINGS.size()));
    };
  }

  private long number() {
    return random.nextInt(4) == 0 ? random.nextLong() : LONGS[random.nextInt(LONGS.length)];
  }

  private Object enumValue(EnumDescriptor type) {
    if (random.nextInt(4) == 0) {
      // A number no version of the API defines: an older or newer client's value.
      return type.findValueByNumberCreatingIfUnknown(1000 + random.nextInt(1000));
    }
    return type.getValues().get(random.nextInt(type.getValues().size()));
  }
}
