package io.shoal.fuzzing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Inputs for a parser's fuzz property: its kept corpus (inputs it must handle, and every input a
 * run once found wrong), that corpus mutated by one to four edits, and random strings over the
 * characters parsers split on. jqwik draws them with a seed it prints and keeps on failure, so a
 * finding reruns as it was; the finding then joins the corpus and gets its own regression test.
 */
public final class FuzzInputs {
  /** Besides letters and digits: what grammars split on, and what they should refuse cleanly. */
  static final String SPECIAL = ":/@=,.-_+*?[](){}<>!#$%&'\"\\|^~` \t\n\r\0é€\uD83D\uDE00";
  private static final String ALPHABET = "abcdefxyzABCXYZ0123456789" + SPECIAL;

  private FuzzInputs() {}

  /**
   * Inputs around the corpus {@code resource} of {@code owner}'s class path: one input per line,
   * with {@code \n}, {@code \t}, {@code \0} and {@code \\} for what a line cannot hold.
   */
  public static Arbitrary<String> aroundLines(Class<?> owner, String resource) {
    return around(lines(read(owner, resource)));
  }

  /** Inputs around whole documents (compose files, env files), each a resource of {@code owner}. */
  public static Arbitrary<String> aroundDocuments(Class<?> owner, String... resources) {
    List<String> documents = new ArrayList<>();
    for (String resource : resources) {
      documents.add(read(owner, resource));
    }
    return around(documents);
  }

  /** The corpus as it is, mutated, and random strings, in the proportions 3 : 5 : 2. */
  public static Arbitrary<String> around(List<String> corpus) {
    List<String> seeds = new ArrayList<>(corpus);
    seeds.add("");
    Arbitrary<String> kept = Arbitraries.of(seeds);
    Arbitrary<String> mutated = kept.flatMap(seed -> edits().list().ofMinSize(1).ofMaxSize(4)
        .map(edits -> mutate(seed, edits)));
    Arbitrary<String> random = Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(80);
    return Arbitraries.frequencyOf(Tuple.of(3, kept), Tuple.of(5, mutated), Tuple.of(2, random));
  }

  /** One edit of a seed: where (a fraction of its length), what, and how much. */
  record Edit(Kind kind, double where, char c, int length) {}

  enum Kind { INSERT, DELETE, REPLACE, REPEAT, CUT }

  private static Arbitrary<Edit> edits() {
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1),
        Arbitraries.of(toCharacters(ALPHABET)), Arbitraries.integers().between(1, 64)).as(Edit::new);
  }

  /** {@code seed} after {@code edits}, each at its place in what the previous ones left. */
  static String mutate(String seed, List<Edit> edits) {
    StringBuilder s = new StringBuilder(seed);
    for (Edit e : edits) {
      int at = (int) Math.min(s.length(), Math.floor(e.where() * (s.length() + 1)));
      switch (e.kind()) {
        case INSERT -> s.insert(at, e.c());
        case DELETE -> s.delete(at, Math.min(s.length(), at + 1 + e.length() % 4));
        case REPLACE -> {
          if (at < s.length()) {
            s.setCharAt(at, e.c());
          } else {
            s.append(e.c());
          }
        }
        case REPEAT -> s.insert(at, s.substring(at, Math.min(s.length(), at + e.length())).repeat(1 + e.length() % 8));
        case CUT -> s.setLength(at);
      }
    }
    return s.toString();
  }

  /** The corpus file's inputs, escapes undone; blank lines skipped (the empty input is always tried). */
  static List<String> lines(String text) {
    List<String> inputs = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isBlank()) {
        inputs.add(unescape(line));
      }
    }
    return inputs;
  }

  private static String unescape(String line) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\\' || i + 1 == line.length()) {
        s.append(c);
        continue;
      }
      char next = line.charAt(++i);
      switch (next) {
        case 'n' -> s.append('\n');
        case 't' -> s.append('\t');
        case 'r' -> s.append('\r');
        case '0' -> s.append('\0');
        default -> s.append(next);
      }
    }
    return s.toString();
  }

  private static List<Character> toCharacters(String chars) {
    return chars.chars().mapToObj(c -> (char) c).toList();
  }

  private static String read(Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource.startsWith("/") ? resource : "/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no corpus " + resource + " on " + owner.getName() + "'s class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
