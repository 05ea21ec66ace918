package io.shoal.agent;

import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.CannotStartException;
import picocli.CommandLine;

/**
 * {@code shoal-node-agent --addr 127.0.0.2 [--hostname node2] [--dispatcher 127.0.0.1:7403]
 * [--docker-host unix:///var/run/docker.sock] [--state-dir DIR] [--listen HOST:PORT] [--metrics-port N]
 * [--task-workers 32] [--task-queue 1024] [--docker-timeout 1m] [--pull-timeout 10m]}
 */
public final class NodeAgentMain {
  private NodeAgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    AgentFlags flags = new AgentFlags();
    CommandLine cli = new CommandLine(flags);
    try {
      cli.parseArgs(args);
      flags.validate(cli);
    } catch (CommandLine.ParameterException e) {
      cli.getErr().println(e.getMessage());
      cli.usage(cli.getErr());
      System.exit(2);
    }
    if (cli.isUsageHelpRequested()) {
      cli.usage(cli.getOut());
      return;
    }
    if (cli.isVersionHelpRequested()) {
      cli.printVersionHelp(cli.getOut());
      return;
    }
    NodeAgent agent;
    try {
      agent = DaggerAgentComponent.builder()
          .configModule(new ConfigModule(flags, flags.tls()))
          .build()
          .agent();
    } catch (CannotStartException e) {
      cli.getErr().println("shoal-node-agent: cannot start: " + e.getMessage());
      cli.getErr().flush();
      System.exit(1);
      return;
    }
    ServiceMain.run("node-agent", agent, agent::start);
  }
}
