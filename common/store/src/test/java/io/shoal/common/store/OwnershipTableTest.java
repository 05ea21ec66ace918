package io.shoal.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md's "Who owns what" and the code say the same: one row per prefix of Tables, and
 * its "written by" names exactly the parts whose store handle ({@link Writer}) may write it.
 */
class OwnershipTableTest {
  @Test
  void theTableListsEveryPrefixWithTheWritersTheCodeDeclares() {
    List<String> prefixes = OwnershipTable.prefixes();
    Map<String, Set<String>> documented = new LinkedHashMap<>();
    for (OwnershipTable.Row row : OwnershipTable.rows(OwnershipTable.architecture())) {
      String prefix = OwnershipTable.prefixOf(row.key(), prefixes);
      assertThat(documented.put(prefix, row.writers())).as("a second row for %s", prefix).isNull();
    }

    assertThat(documented).isEqualTo(OwnershipTable.declaredWriters());
  }

  @Test
  void everyKeyHasOneWriterButTheDeclaredException() {
    Map<String, Set<String>> shared = new LinkedHashMap<>();
    OwnershipTable.declaredWriters().forEach((prefix, parts) -> {
      assertThat(parts).as(prefix).isNotEmpty();
      if (parts.size() > 1) {
        shared.put(prefix, parts);
      }
    });
    // A task's status is the dispatcher's.
    assertThat(shared).isEqualTo(Map.of(Tables.TASKS.name(), Set.of("scheduler", "dispatcher")));
  }

  @Test
  void writersAreReadFromTheirCell() {
    assertThat(OwnershipTable.writers(" dispatcher (`status` only); scheduler (the rest, its own) "))
        .containsExactly("dispatcher", "scheduler");
    assertThat(OwnershipTable.prefixOf("names/services/<name>", List.of("names/services", "services")))
        .isEqualTo("names/services");
  }
}
