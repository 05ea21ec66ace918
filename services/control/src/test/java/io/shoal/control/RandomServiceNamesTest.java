package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Docker-style names for services created without one: valid service names, and many of them. */
class RandomServiceNamesTest {
  @Test
  void everyNameIsAdjectiveUnderscoreSurnameAndAValidServiceName() {
    RandomServiceNames names = new RandomServiceNames(new SplittableRandom(7));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String name = names.next();
      assertThat(name).matches("[a-z]+_[a-z]+").hasSizeLessThanOrEqualTo(63);
      seen.add(name);
    }
    // 20,000 draws over 2,304 names reach every one of them (a list with a duplicate word would not).
    assertThat(RandomServiceNames.combinations()).isEqualTo(48 * 48);
    assertThat(seen).hasSize(RandomServiceNames.combinations());
  }
}
