package io.shoal.cli.secret;

import io.shoal.cli.CliCommand;
import io.shoal.cli.format.HumanDuration;
import io.shoal.cli.format.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code shoal secret|config ls}: ID, NAME (a secret also DRIVER, always empty: Shoal keeps
 * them itself), CREATED, UPDATED, sorted by name, as Docker prints them.
 */
abstract class PayloadLsCommand extends CliCommand {
  @Option(names = {"-q", "--quiet"}, description = "Only display IDs")
  boolean quiet;

  abstract List<StoredObject> list();

  /** Whether the table has Docker's DRIVER column (secrets only). */
  abstract boolean driverColumn();

  @Override
  public Integer call() {
    List<StoredObject> objects = list().stream().sorted(Comparator.comparing(StoredObject::name)).toList();
    if (quiet) {
      objects.forEach(o -> out().println(o.id()));
      out().flush();
      return 0;
    }
    List<String> headers = new ArrayList<>(List.of("ID", "NAME"));
    if (driverColumn()) {
      headers.add("DRIVER");
    }
    headers.addAll(List.of("CREATED", "UPDATED"));
    Table table = new Table(headers.toArray(String[]::new));
    Instant now = context().clock().instant();
    for (StoredObject o : objects) {
      List<String> row = new ArrayList<>(List.of(o.id(), o.name()));
      if (driverColumn()) {
        row.add("");
      }
      row.add(HumanDuration.ago(Duration.between(StoredObject.instant(o.created()), now)));
      row.add(HumanDuration.ago(Duration.between(StoredObject.instant(o.updated()), now)));
      table.add(row.toArray(String[]::new));
    }
    table.print(out());
    return 0;
  }
}
