package io.shoal.control;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A name for a service created without one, in Docker's style ({@code adjective_surname}, as
 * {@code docker service create IMAGE} gives): easy to read back and to type in {@code service ps}.
 * The words are our own lists (an adjective, and a scientist or engineer whose work computing
 * rests on); 48 x 48 pairs, and control draws again when a name is taken.
 */
final class RandomServiceNames {
  private static final List<String> ADJECTIVES = List.of(
      "agile", "amber", "bold", "brave", "bright", "brisk", "calm", "candid", "clever", "cosmic",
      "crisp", "curious", "daring", "deft", "eager", "earnest", "fair", "fearless", "fervent", "gentle",
      "glad", "golden", "happy", "hardy", "honest", "humble", "jolly", "keen", "kind", "lively",
      "lucid", "merry", "mighty", "nimble", "noble", "patient", "plucky", "proud", "quick", "quiet",
      "serene", "sharp", "steady", "sunny", "swift", "tender", "vivid", "witty");
  private static final List<String> SURNAMES = List.of(
      "allen", "babbage", "backus", "bell", "boole", "cerf", "church", "codd", "conway", "curie",
      "dijkstra", "engelbart", "euler", "gauss", "goldberg", "hamilton", "hamming", "hoare", "hopper", "huffman",
      "kahn", "kay", "knuth", "lamport", "liskov", "lovelace", "mccarthy", "meitner", "minsky", "morse",
      "neumann", "newton", "noether", "pascal", "perlman", "ritchie", "shannon", "shaw", "sutherland", "tarjan",
      "thompson", "torvalds", "turing", "wheeler", "wilkes", "wing", "wirth", "zuse");

  private final RandomGenerator random;

  RandomServiceNames(RandomGenerator random) {
    this.random = random;
  }

  /** One name: {@code adjective_surname}. */
  String next() {
    return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_" + SURNAMES.get(random.nextInt(SURNAMES.size()));
  }

  /** Every name {@link #next} can give (for tests). */
  static int combinations() {
    return ADJECTIVES.size() * SURNAMES.size();
  }
}
