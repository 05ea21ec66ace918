package io.shoal.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code stack deploy|ls|services|ps|rm} with a compose file written as a user would. */
class StackCommandsTest {
  static final String FILE = """
      version: "3.8"
      services:
        web:
          image: 127.0.0.1:5000/web:${TAG:-1}
          ports:
            - "8080:80"
            - target: 443
              published: 8443
              mode: host
          environment:
            GREETING: hi
          healthcheck:
            test: ["CMD", "wget", "-q", "-O-", "http://localhost/"]
            interval: 5s
            retries: 2
          deploy:
            replicas: 2
            labels:
              tier: front
            update_config:
              parallelism: 1
              order: start-first
            restart_policy:
              condition: on-failure
              max_attempts: 3
        worker:
          image: 127.0.0.1:5000/worker:1
          command: ["worker", "--queue", "jobs"]
          env_file: worker.env
          volumes:
            - ./data:/data:ro
            - cache:/cache
          secrets:
            - source: token
              target: api-token
              mode: 0400
          deploy:
            placement:
              constraints: [node.labels.zone == a]
              preferences:
                - spread: node.labels.rack
            resources:
              limits: {cpus: "0.5", memory: 64M}
        agent:
          image: 127.0.0.1:5000/agent:1
          build: ./agent
          read_only: true
          init: true
          tty: false
          deploy:
            mode: global
      volumes:
        cache:
          driver: local
          labels:
            backup: "no"
      secrets:
        token:
          file: ./token.txt
      """;

  @RegisterExtension final CliHarness cli = new CliHarness();
  @TempDir Path dir;

  @BeforeEach
  void files() throws IOException {
    Files.writeString(dir.resolve("worker.env"), "QUEUE_URL=amqp://q\n");
    Files.writeString(dir.resolve("token.txt"), "s3cret");
    Files.writeString(dir.resolve("stack.yml"), FILE);
    cli.cwd(dir);
  }

  private Map<String, ServiceSpec> created() {
    return cli.control().creates().stream().map(CreateServiceRequest::getSpec)
        .collect(Collectors.toMap(ServiceSpec::getName, Function.identity()));
  }

  @Test
  void deployCreatesTheStacksNetworkSecretAndServices() {
    Result r = cli.run("stack", "deploy", "-c", "stack.yml", "shop");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("Ignoring unsupported options: build");
    assertThat(r.outLines()).containsExactly("Creating network shop_default", "Creating secret shop_token",
        "Creating service shop_web", "Creating service shop_worker", "Creating service shop_agent");
    assertThat(cli.control().secretCreates()).singleElement()
        .satisfies(s -> assertThat(s.getData().toStringUtf8()).isEqualTo("s3cret"));
    Map<String, ServiceSpec> specs = created();
    ServiceSpec web = specs.get("shop_web");
    assertThat(web.getLabelsMap()).containsEntry("com.docker.stack.namespace", "shop").containsEntry("tier", "front")
        .containsEntry("com.docker.stack.image", "127.0.0.1:5000/web:1");
    assertThat(web.getContainer().getImage()).isEqualTo("127.0.0.1:5000/web:1");
    assertThat(web.getReplicated().getReplicas()).isEqualTo(2);
    assertThat(web.getEndpoint().getPortsList()).hasSize(2);
    assertThat(web.getContainer().getEnvList()).containsExactly("GREETING=hi");
    assertThat(web.getContainer().getHealthcheck().getTestList()).containsExactly("CMD", "wget", "-q", "-O-",
        "http://localhost/");
    assertThat(web.getContainer().getHealthcheck().getRetries()).isEqualTo(2);
    assertThat(web.getRestartPolicy().getMaxAttempts()).isEqualTo(3);
    assertThat(web.getNetworksList()).singleElement().satisfies(n -> assertThat(n.getTarget()).isEqualTo("shop_default"));
    ServiceSpec worker = specs.get("shop_worker");
    assertThat(worker.getContainer().getArgsList()).containsExactly("worker", "--queue", "jobs");
    assertThat(worker.getContainer().getEnvList()).containsExactly("QUEUE_URL=amqp://q");
    assertThat(worker.getContainer().getMountsList()).extracting(m -> m.getSource() + ">" + m.getTarget())
        .containsExactly(dir.resolve("data") + ">/data", "shop_cache>/cache");
    assertThat(worker.getContainer().getMounts(1).getVolumeOptions().getDriver()).isEqualTo("local");
    assertThat(worker.getContainer().getMounts(1).getVolumeOptions().getLabelsMap()).containsEntry("backup", "no");
    assertThat(worker.getSecretsList()).singleElement().satisfies(s -> {
      assertThat(s.getSecretName()).isEqualTo("shop_token");
      assertThat(s.getFile().getName()).isEqualTo("api-token");
      assertThat(s.getFile().getMode()).isEqualTo(0400);
    });
    assertThat(worker.getPlacement().getConstraintsList()).containsExactly("node.labels.zone == a");
    ServiceSpec agent = specs.get("shop_agent");
    assertThat(agent.hasGlobal()).isTrue();
    assertThat(agent.getContainer().getReadOnly()).isTrue();
    assertThat(agent.getContainer().getInit()).isTrue();
    assertThat(agent.getContainer().getTty()).isFalse();
  }

  @Test
  void aSecondDeployUpdatesOnlyWhatChanged() throws IOException {
    cli.run("stack", "deploy", "-c", "stack.yml", "shop");

    Result same = cli.run("stack", "deploy", "-c", "stack.yml", "shop");
    assertThat(same.outLines()).contains("Service shop_web is up to date", "Service shop_worker is up to date");
    assertThat(cli.control().updates()).isEmpty();

    Files.writeString(dir.resolve("worker.env"), "QUEUE_URL=amqp://other\n");
    Result changed = cli.run("stack", "deploy", "-c", "stack.yml", "shop");

    assertThat(changed.exitCode()).as(changed.err()).isZero();
    assertThat(cli.control().updates()).singleElement()
        .satisfies(u -> assertThat(u.getSpec().getName()).isEqualTo("shop_worker"));
  }

  @Test
  void lsServicesPsAndRmFindTheStackByItsLabel() {
    cli.run("stack", "deploy", "-c", "stack.yml", "shop");

    assertThat(cli.run("stack", "ls").outLines()).containsExactly("NAME      SERVICES", "shop      3");
    assertThat(cli.run("stack", "services", "--format", "{{.Name}}", "shop").outLines())
        .containsExactly("shop_agent", "shop_web", "shop_worker");
    assertThat(cli.run("stack", "ps", "-q", "shop").exitCode()).isZero();

    Result rm = cli.run("stack", "rm", "shop");
    assertThat(rm.outLines()).contains("Removing service shop_web", "Removing secret shop_token",
        "Removing network shop_default");
    assertThat(cli.run("stack", "ls").outLines()).containsExactly("NAME      SERVICES");
  }

  @Test
  void aKeyShoalCannotHonourIsRefusedNamingItsPathAndNothingIsCreated() throws IOException {
    Files.writeString(dir.resolve("bad.yml"), "services:\n  web:\n    image: x:1\n    deploy:\n      replicas: two\n");
    Files.writeString(dir.resolve("unknown.yml"), "services:\n  web:\n    image: x:1\n    gpus: all\n");

    Result bad = cli.run("stack", "deploy", "-c", "bad.yml", "shop");
    Result unknown = cli.run("stack", "deploy", "-c", "unknown.yml", "shop");

    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).startsWith("shoal: services.web: ").contains("--replicas").contains("two");
    assertThat(unknown.err()).isEqualTo(
        "shoal: services.web: additional property gpus is not allowed (Shoal cannot honour it)\n");
    assertThat(cli.control().creates()).isEmpty();
    assertThat(cli.control().networkCreates()).isEmpty();
  }
}
