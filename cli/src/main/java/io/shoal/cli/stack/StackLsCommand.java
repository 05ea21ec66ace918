package io.shoal.cli.stack;

import io.shoal.api.v1.Service;
import io.shoal.cli.CliCommand;
import io.shoal.cli.compose.StackLabels;
import io.shoal.cli.format.FormatOutput;
import io.shoal.cli.format.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code shoal stack ls}: NAME SERVICES, the stacks that have services, by name. */
@Command(name = "ls", aliases = "list", description = "List stacks", mixinStandardHelpOptions = true)
public final class StackLsCommand extends CliCommand {
  @Option(names = "--format", paramLabel = "TEMPLATE",
      description = "Format output using a custom template: 'table TEMPLATE', 'json', or a Go template")
  String format;

  @Override
  public Integer call() {
    Map<String, Integer> stacks = new TreeMap<>();
    for (Service s : control().listServices()) {
      String stack = s.getSpec().getLabelsMap().get(StackLabels.NAMESPACE);
      if (stack != null) {
        stacks.merge(stack, 1, Integer::sum);
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    stacks.forEach((name, services) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("Name", name);
      row.put("Services", services);
      rows.add(row);
    });
    if (!FormatOutput.isDefault(format)) {
      FormatOutput.rows(out(), format, rows, Map.of());
      return 0;
    }
    Table table = new Table("NAME", "SERVICES");
    rows.forEach(r -> table.add(String.valueOf(r.get("Name")), String.valueOf(r.get("Services"))));
    table.print(out());
    return 0;
  }
}
