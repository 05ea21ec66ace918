package io.shoal.agent.overlay;

import java.util.List;

/**
 * Puts {@link VipRules} into a running container's network namespace, entered by its main
 * process's id (the namespace lives as long as the container runs).
 */
class ContainerRules {
  private static final List<String> TABLES = List.of("nat", "filter");

  private final HostCommands commands;

  ContainerRules(HostCommands commands) {
    this.commands = commands;
  }

  /**
   * Replaces the container's {@value VipRules#CHAIN} chains with {@code rules}, and on the first
   * call for it makes OUTPUT jump to them (checked first, as an agent that restarted finds them).
   */
  void apply(int pid, String rules, boolean first) {
    List<String> enter = List.of("nsenter", "--net=/proc/" + pid + "/ns/net");
    commands.run(concat(enter, List.of("iptables-restore", "-w", "--noflush")), rules);
    if (!first) {
      return;
    }
    for (String table : TABLES) {
      HostCommands.Result check = commands.attempt(concat(enter, jump(table, "-C")), null);
      if (check.exitCode() != 0) {
        commands.run(concat(enter, jump(table, "-A")));
      }
    }
  }

  private static List<String> jump(String table, String action) {
    return List.of("iptables", "-w", "-t", table, action, "OUTPUT", "-j", VipRules.CHAIN);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
