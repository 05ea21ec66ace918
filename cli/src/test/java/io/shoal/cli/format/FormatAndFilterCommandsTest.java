package io.shoal.cli.format;

import static io.shoal.api.v1.NodeAvailability.NODE_AVAILABILITY_ACTIVE;
import static io.shoal.api.v1.NodeState.NODE_STATE_READY;
import static io.shoal.api.v1.TaskState.TASK_STATE_RUNNING;
import static io.shoal.api.v1.TaskState.TASK_STATE_SHUTDOWN;
import static io.shoal.cli.testing.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** --format and --filter on service ls/ps/inspect and node ls/ps/inspect, as Docker's. */
class FormatAndFilterCommandsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();
  private Service web;
  private Service agent;

  @BeforeEach
  void cluster() {
    ServiceSpec webSpec = Fixtures.replicated("web", "nginx:1.27", 2).toBuilder().putLabels("tier", "front").build();
    web = cli.control().addService(webSpec);
    agent = cli.control().addService(Fixtures.global("agent", "agent:1"));
    cli.control().addNode(node("n1xxxxxxxxxxxxxxxxxxxxxxx", "h1", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE));
    cli.control().addNode(node("n2xxxxxxxxxxxxxxxxxxxxxxx", "h2", NODE_STATE_READY, NODE_AVAILABILITY_ACTIVE));
    cli.control().addTask(Fixtures.task("t1aaaaaaaaaaaaaaaaaaaaaaa", web.getId(), webSpec, 1, TASK_STATE_RUNNING,
        TASK_STATE_RUNNING, CliHarness.START, CliHarness.START).setNodeId("n1xxxxxxxxxxxxxxxxxxxxxxx").build());
    cli.control().addTask(Fixtures.task("t2bbbbbbbbbbbbbbbbbbbbbbb", web.getId(), webSpec, 2, TASK_STATE_SHUTDOWN,
        TASK_STATE_SHUTDOWN, CliHarness.START, CliHarness.START).setNodeId("n2xxxxxxxxxxxxxxxxxxxxxxx").build());
  }

  @Test
  void serviceLsFormatsAndFilters() {
    Result names = cli.run("service", "ls", "--format", "{{.Name}}: {{.Mode}} {{.Replicas}}");
    Result fronts = cli.run("service", "ls", "-q", "--filter", "label=tier=front");
    Result globals = cli.run("service", "ls", "--filter", "mode=global", "--format", "table {{.Name}}\\t{{.Image}}");

    assertThat(names.outLines()).containsExactly("agent: global 0/0", "web: replicated 1/2");
    assertThat(fronts.outLines()).containsExactly(web.getId().substring(0, 12));
    assertThat(globals.outLines()).containsExactly("NAME      IMAGE", "agent     agent:1");
  }

  @Test
  void servicePsFiltersByDesiredStateAndNode() {
    Result running = cli.run("service", "ps", "--filter", "desired-state=running", "--format", "{{.Name}} {{.Node}}",
        "web");
    Result onH2 = cli.run("service", "ps", "-f", "node=h2", "--format", "{{.Name}} {{.DesiredState}}", "web");

    assertThat(running.outLines()).containsExactly("web.1 h1");
    assertThat(onH2.outLines()).containsExactly("web.2 Shutdown");
  }

  @Test
  void nodePsListsTheTasksOfANode() {
    Result r = cli.run("node", "ps", "h1");

    assertThat(r.err()).isEmpty();
    assertThat(r.outLines().get(0)).startsWith("ID").contains("DESIRED STATE").contains("CURRENT STATE");
    assertThat(r.outLines()).hasSize(2);
    assertThat(r.outLines().get(1)).startsWith("t1aaaaaaaaaa").contains("web.1").contains("h1");
    assertThat(cli.run("node", "ps", "nope").err()).contains("node nope not found");
  }

  @Test
  void nodeLsFormatsDockersPlaceholdersAndFilters() {
    Result r = cli.run("node", "ls", "--filter", "name=h2", "--format", "table {{.Hostname}}\\t{{.TLSStatus}}");

    assertThat(r.outLines()).containsExactly("HOSTNAME   TLS STATUS", "h2         Ready");
  }

  @Test
  void inspectFormatReadsTheObjectInDockersShape() {
    Result service = cli.run("service", "inspect", "--format", "{{.Spec.Name}} {{index .Spec.Labels \"tier\"}}",
        "web");
    Result node = cli.run("node", "inspect", "-f", "{{.Description.Hostname}} {{.Status.State}}", "h1");
    Result both = cli.run("service", "inspect", "--format", "{{.Spec.Name}}", "--pretty", "web");

    assertThat(service.outLines()).containsExactly("web front");
    assertThat(node.outLines()).containsExactly("h1 ready");
    assertThat(both.exitCode()).isEqualTo(1);
    assertThat(both.err()).contains("--format is incompatible with human friendly format");
  }

  @Test
  void anUnknownFilterOrABrokenTemplateIsOneLine() {
    Result filter = cli.run("service", "ls", "--filter", "colour=red");
    Result template = cli.run("service", "ls", "--format", "{{.Name");

    assertThat(filter.exitCode()).isEqualTo(1);
    assertThat(filter.err()).isEqualTo("shoal: invalid filter 'colour' (filters here: id, label, mode, name)\n");
    assertThat(template.err()).isEqualTo("shoal: template parsing error: template: :1: unclosed action\n");
  }
}
