package io.shoal.fuzzing;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a fuzz property over inputs drawn from a seed: a new seed each run (so runs together try
 * more than one does), or {@code -Dshoal.fuzz.seed=N} to replay one; {@code -Dshoal.fuzz.tries=N}
 * for a longer run than CI's. A failing input is reported with the seed and the input escaped, to
 * be added to the corpus with its regression test.
 */
public final class Fuzz {
  /** Tries per property in CI: seconds for all of them together. */
  public static final int DEFAULT_TRIES = 3000;

  private Fuzz() {}

  /** The seed of this run. */
  public static long seed() {
    String given = System.getProperty("shoal.fuzz.seed");
    return given != null ? Long.parseLong(given) : System.nanoTime();
  }

  public static int tries(int tries) {
    return Integer.getInteger("shoal.fuzz.tries", tries);
  }

  /** Checks {@code property} on {@code tries} inputs drawn around {@code inputs}. */
  public static void check(FuzzInputs inputs, int tries, Consumer<String> property) {
    long seed = seed();
    List<String> drawn = inputs.draw(seed, tries(tries));
    for (int i = 0; i < drawn.size(); i++) {
      String input = drawn.get(i);
      try {
        property.accept(input);
      } catch (AssertionError | RuntimeException | StackOverflowError e) {
        throw new AssertionError("fuzz input #" + i + " of seed " + seed + " (-Dshoal.fuzz.seed=" + seed + "): \""
            + escape(input) + "\": " + e, e);
      }
    }
  }

  /**
   * Checks {@code property} on {@code tries} messages, each one of {@code seeds} (in turn) after
   * one to {@code maxEdits} edits of a {@link ProtoMutator} seeded with this run's seed.
   */
  public static <M extends com.google.protobuf.Message> void checkMessages(List<M> seeds, int tries, int maxEdits,
      Consumer<M> property) {
    long seed = seed();
    ProtoMutator mutator = new ProtoMutator(seed);
    int n = tries(tries);
    for (int i = 0; i < n; i++) {
      M message = mutator.mutate(seeds.get(i % seeds.size()), maxEdits);
      try {
        property.accept(message);
      } catch (AssertionError | RuntimeException | StackOverflowError e) {
        throw new AssertionError("fuzz message #" + i + " of seed " + seed + " (-Dshoal.fuzz.seed=" + seed + "): "
            + escape(com.google.protobuf.TextFormat.printer().shortDebugString(message)) + ": " + e, e);
      }
    }
  }

  /** {@code input} as a corpus line: what a line cannot hold, escaped. */
  public static String escape(String input) {
    StringBuilder s = new StringBuilder();
    String shown = input.length() > 300 ? input.substring(0, 300) : input;
    for (char c : shown.toCharArray()) {
      switch (c) {
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '\r' -> s.append("\\r");
        case '\0' -> s.append("\\0");
        case '\\' -> s.append("\\\\");
        default -> s.append(c);
      }
    }
    return shown.length() < input.length() ? s + "… (" + input.length() + " chars)" : s.toString();
  }
}
