package io.shoal.fuzzing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inputs for a parser's fuzz test: its kept corpus (inputs it must handle, and every input a run
 * once found wrong), that corpus mutated by one to four edits, and random strings over the
 * characters parsers split on. Drawn from a seed ({@link Fuzz}), so a finding reruns as it was;
 * the finding then joins the corpus and gets its own regression test.
 */
public final class FuzzInputs {
  /** Besides letters and digits: what grammars split on, and what they should refuse cleanly. */
  static final String SPECIAL = ":/@=,.-_+*?[](){}<>!#$%&'\"\\|^~` \t\n\r\0é€\uD83D\uDE00";
  private static final String ALPHABET = "abcdefxyzABCXYZ0123456789" + SPECIAL;

  private final List<String> corpus;

  private FuzzInputs(List<String> corpus) {
    List<String> seeds = new ArrayList<>(corpus);
    seeds.add("");
    this.corpus = List.copyOf(seeds);
  }

  /**
   * Inputs around the corpus {@code resource} of {@code owner}'s class path: one input per line,
   * with {@code \n}, {@code \t}, {@code \0} and {@code \\} for what a line cannot hold.
   */
  public static FuzzInputs aroundLines(Class<?> owner, String resource) {
    return new FuzzInputs(lines(read(owner, resource)));
  }

  /** Inputs around whole documents (compose files, env files), each a resource of {@code owner}. */
  public static FuzzInputs aroundDocuments(Class<?> owner, String... resources) {
    List<String> documents = new ArrayList<>();
    for (String resource : resources) {
      documents.add(read(owner, resource));
    }
    return new FuzzInputs(documents);
  }

  /** Inputs around {@code corpus}. */
  public static FuzzInputs around(List<String> corpus) {
    return new FuzzInputs(corpus);
  }

  /** {@code count} inputs from {@code seed}: the whole corpus first, then mutated (5 in 7) and random ones. */
  public List<String> draw(long seed, int count) {
    Random random = new Random(seed);
    List<String> inputs = new ArrayList<>(corpus);
    while (inputs.size() < count) {
      if (random.nextInt(7) < 5) {
        inputs.add(mutate(corpus.get(random.nextInt(corpus.size())), edits(random)));
      } else {
        inputs.add(randomString(random));
      }
    }
    return inputs;
  }

  /** One edit of a seed: where (a fraction of its length), what, and how much. */
  record Edit(Kind kind, double where, char c, int length) {}

  enum Kind { INSERT, DELETE, REPLACE, REPEAT, CUT }

  private static List<Edit> edits(Random random) {
    List<Edit> edits = new ArrayList<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      edits.add(new Edit(Kind.values()[random.nextInt(Kind.values().length)], random.nextDouble(),
          ALPHABET.charAt(random.nextInt(ALPHABET.length())), 1 + random.nextInt(64)));
    }
    return edits;
  }

  private static String randomString(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(81); i > 0; i--) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
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
