package io.shoal.cli.service;

import static io.shoal.api.v1.TaskState.TASK_STATE_FAILED;
import static io.shoal.api.v1.TaskState.TASK_STATE_PREPARING;
import static io.shoal.api.v1.TaskState.TASK_STATE_RUNNING;
import static io.shoal.api.v1.TaskState.TASK_STATE_SHUTDOWN;
import static io.shoal.cli.testing.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.TaskState;
import io.shoal.cli.parse.PortSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import io.shoal.cli.testing.TableOutput;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceLsCommandTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  @Test
  void listsServicesLikeDocker() {
    ServiceSpec webSpec =
        Fixtures.replicated("web", "nginx:1.27@" + Fixtures.DIGEST, 3).toBuilder()
            .setEndpoint(
                EndpointSpec.newBuilder()
                    .addPorts(PortSpec.parse("8080:80"))
                    .addPorts(PortSpec.parse("53:53/udp"))
                    .addPorts(PortSpec.parse("published=9000,target=90,mode=host")))
            .build();
    Service web = cli.control().addService(webSpec);
    Service agent = cli.control().addService(Fixtures.global("agent", "agent:1"));
    add(web, webSpec, 1, TASK_STATE_RUNNING, TASK_STATE_RUNNING);
    add(web, webSpec, 2, TASK_STATE_RUNNING, TASK_STATE_PREPARING);
    add(web, webSpec, 3, TASK_STATE_RUNNING, TASK_STATE_RUNNING);
    add(web, webSpec, 3, TASK_STATE_SHUTDOWN, TASK_STATE_FAILED);
    add(agent, agent.getSpec(), 0, TASK_STATE_RUNNING, TASK_STATE_RUNNING);
    add(agent, agent.getSpec(), 0, TASK_STATE_RUNNING, TASK_STATE_RUNNING);

    Result r = cli.run("service", "ls");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines().get(0))
        .isEqualTo(
            "ID             NAME      MODE         REPLICAS   IMAGE" + " ".repeat(28) + "PORTS");
    assertThat(TableOutput.rows(r.outLines(), "ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"))
        .containsExactly(
            List.of(agent.getId().substring(0, 12), "agent", "global", "2/2", "agent:1", ""),
            List.of(
                web.getId().substring(0, 12),
                "web",
                "replicated",
                "2/3",
                "nginx:1.27@sha256:0123456789ab",
                "*:8080->80/tcp, *:53->53/udp"));
  }

  @Test
  void sortsByName() {
    cli.control().addService(Fixtures.replicated("zeta", "z", 1));
    cli.control().addService(Fixtures.replicated("alpha", "a", 1));
    Result r = cli.run("service", "ls");
    assertThat(r.outLines()).hasSize(3);
    assertThat(r.outLines().get(1)).contains("alpha");
    assertThat(r.outLines().get(2)).contains("zeta");
  }

  @Test
  void quietPrintsIds() {
    Service a = cli.control().addService(Fixtures.replicated("a", "a", 1));
    Result r = cli.run("service", "ls", "-q");
    assertThat(r.outLines()).containsExactly(a.getId().substring(0, 12));
  }

  @Test
  void emptyClusterPrintsTheHeader() {
    Result r = cli.run("service", "ls");
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).singleElement().asString().startsWith("ID");
  }

  private int n;

  private void add(Service s, ServiceSpec spec, long slot, TaskState desired, TaskState state) {
    cli.control()
        .addTask(
            task(
                    "t" + n++,
                    s.getId(),
                    spec,
                    slot,
                    desired,
                    state,
                    CliHarness.START,
                    CliHarness.START)
                .build());
  }
}
