package io.shoal.fuzzing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import org.junit.jupiter.api.Test;

class ProtoMutatorTest {
  private static final Struct SEED = Struct.newBuilder()
      .putFields("a", Value.newBuilder().setStringValue("x").build()).build();

  @Test
  void theSameSeedGivesTheSameMutationsAndTheyChangeTheMessage() {
    ProtoMutator first = new ProtoMutator(42);
    ProtoMutator second = new ProtoMutator(42);

    for (int i = 0; i < 50; i++) {
      Struct a = first.mutate(SEED, 4);
      assertThat(second.mutate(SEED, 4)).isEqualTo(a);
    }
    ProtoMutator third = new ProtoMutator(7);
    long changed = java.util.stream.IntStream.range(0, 50).filter(i -> !third.mutate(SEED, 4).equals(SEED)).count();
    assertThat(changed).isGreaterThan(25);
  }
}
