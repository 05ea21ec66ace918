package io.shoal.agent;

import static io.shoal.api.v1.TaskState.TASK_STATE_REJECTED;
import static io.shoal.api.v1.TaskState.TASK_STATE_RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Secrets and configs as files in a task's container, against a real dockerd, with a fake
 * dispatcher sending their data: a tmpfs per task on the host, the files at their targets with
 * their owners and modes, gone with the container; kept across an agent restart for a running
 * task, cleaned up for a stale one.
 */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class TaskFilesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "s3cr3t-value-of-TaskFilesIT";
  private static final String CONFIG = "listen 8080;\n";
  private static String image;

  private final List<NodeAgent> agents = new ArrayList<>();
  private final List<String> nodeIds = new ArrayList<>();
  private DockerTestEngine docker;
  private FakeDispatcher dispatcher;
  private Path stateDir;
  private final String addr = "127.0.0.71";
  private final String secretId = TestTasks.id("secret");
  private final String configId = TestTasks.id("config");

  @BeforeAll
  static void buildImage(DockerTestEngine docker) {
    image = TestImages.busybox("shoal-test/task-files:1").build(docker);
  }

  private void setUp(DockerTestEngine docker) {
    this.docker = docker;
    this.dispatcher = new FakeDispatcher(500).start(0);
    this.stateDir = ExternalProcess.tempDir("shoal-agent-files");
  }

  @AfterEach
  void tearDown() {
    agents.forEach(NodeAgent::close);
    dispatcher.close();
    for (String node : nodeIds) {
      docker.removeContainers("io.shoal.node.id=" + node);
    }
    // A test that failed half-way may leave a tmpfs: never leave one mounted.
    Path root = stateDir.resolve("task-files");
    if (Files.isDirectory(root)) {
      try (var dirs = Files.list(root)) {
        dirs.filter(TaskFilesIT::isTmpfs).forEach(d -> Commands.run(List.of("umount", d.toString())));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    ExternalProcess.deleteTree(stateDir);
  }

  private NodeAgent startAgent() {
    AgentFlags flags = AgentFlags.parse(new String[] {
        "--addr", addr, "--hostname", "test-files", "--dispatcher", dispatcher.address(),
        "--registry", "127.0.0.1:" + ExternalProcess.freePort(), "--docker-host", docker.host(),
        "--state-dir", stateDir.toString(), "--listen", "127.0.0.1:0", "--metrics-port", "0"});
    NodeAgent agent = DaggerAgentComponent.builder().configModule(new ConfigModule(flags)).build().agent().start();
    agents.add(agent);
    nodeIds.add(agent.node().id());
    return agent;
  }

  private Task task(String id) {
    return TestTasks.task(id, "files", 1, TestTasks.container(image, "sleep", "1000")).toBuilder()
        .setSpec(TestTasks.task(id, "files", 1, TestTasks.container(image, "sleep", "1000")).getSpec().toBuilder()
            .addSecrets(SecretReference.newBuilder().setSecretId(secretId).setSecretName("x")
                .setFile(FileTarget.newBuilder().setName("x").setUid("1000").setGid("1001").setMode(0400)))
            .addConfigs(ConfigReference.newBuilder().setConfigId(configId).setConfigName("app")
                .setFile(FileTarget.newBuilder().setName("/etc/app.conf").setMode(0644))))
        .build();
  }

  private void sendData() {
    dispatcher.files(
        FileData.newBuilder().setRef(FileDataRef.newBuilder().setKind(FileDataKind.FILE_DATA_KIND_SECRET)
            .setId(secretId)).setData(ByteString.copyFrom(SECRET, StandardCharsets.UTF_8)).build(),
        FileData.newBuilder().setRef(FileDataRef.newBuilder().setKind(FileDataKind.FILE_DATA_KIND_CONFIG)
            .setId(configId)).setData(ByteString.copyFrom(CONFIG, StandardCharsets.UTF_8)).build());
  }

  private TaskStatus awaitState(String taskId, TaskState state) {
    await().atMost(WAIT).alias("task " + taskId + " reaching " + state)
        .until(() -> dispatcher.states(taskId), states -> states.contains(state));
    return dispatcher.updates(taskId).stream().map(u -> u.getStatus()).filter(s -> s.getState() == state)
        .findFirst().orElseThrow();
  }

  /** Whether the host's mount table has a tmpfs at {@code dir}. */
  private static boolean isTmpfs(Path dir) {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .anyMatch(l -> l.split(" ")[4].equals(dir.toString()) && l.contains(" - tmpfs "));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aContainerReadsItsSecretFromATmpfsOfItsTaskThatGoesWithTheContainer(DockerTestEngine docker) {
    setUp(docker);
    String id = TestTasks.id("files");
    sendData();
    startAgent();
    dispatcher.assign(task(id));

    String container = awaitState(id, TASK_STATE_RUNNING).getContainerId();
    assertThat(docker.docker("exec", container, "cat", "/run/secrets/x")).isEqualTo(SECRET);
    assertThat(docker.docker("exec", container, "ls", "-ln", "/run/secrets/x"))
        .startsWith("-r--------").contains(" 1000 ").contains(" 1001 ");
    assertThat(docker.docker("exec", container, "cat", "/etc/app.conf")).isEqualTo(CONFIG.strip());
    assertThat(docker.docker("exec", container, "ls", "-ln", "/etc/app.conf")).startsWith("-rw-r--r--");
    // Read-only in the container, even for root.
    assertThat(docker.tryDocker("exec", container, "sh", "-c", "echo x > /run/secrets/x").ok()).isFalse();

    Path dir = stateDir.resolve("task-files").resolve(id);
    assertThat(isTmpfs(dir)).as("a tmpfs at %s", dir).isTrue();
    assertThat(docker.inspect("{{json .Mounts}}", container)).contains(dir.resolve("secret-0").toString());

    dispatcher.unassign(id);
    await().atMost(WAIT).until(() -> !docker.tryDocker("inspect", container).ok());
    await().atMost(WAIT).until(() -> !Files.exists(dir));
    assertThat(isTmpfs(dir)).isFalse();
  }

  @Test
  void afterARestartARunningTaskKeepsItsFilesAndAStaleTmpfsIsRemoved(DockerTestEngine docker) throws Exception {
    setUp(docker);
    String id = TestTasks.id("kept");
    sendData();
    NodeAgent first = startAgent();
    dispatcher.assign(task(id));
    String container = awaitState(id, TASK_STATE_RUNNING).getContainerId();
    first.close();
    agents.remove(first);
    // A task whose container went while the agent was down: its tmpfs is left behind.
    Path stale = stateDir.resolve("task-files").resolve(TestTasks.id("stale"));
    Files.createDirectories(stale);
    Commands.run(List.of("mount", "-t", "tmpfs", "-o", "size=4096", "tmpfs", stale.toString())).orThrow();
    Files.writeString(stale.resolve("secret-0"), "old");

    startAgent();
    await().atMost(WAIT).until(() -> !Files.exists(stale));
    assertThat(isTmpfs(stale)).isFalse();
    assertThat(isTmpfs(stateDir.resolve("task-files").resolve(id))).isTrue();
    assertThat(docker.docker("exec", container, "cat", "/run/secrets/x")).isEqualTo(SECRET);
  }

  @Test
  void aTaskWhoseSecretCannotBeHadIsRejectedWithTheReasonAndNothingIsMounted(DockerTestEngine docker) {
    setUp(docker);
    String id = TestTasks.id("nokey");
    dispatcher.files(FileData.newBuilder().setRef(FileDataRef.newBuilder()
        .setKind(FileDataKind.FILE_DATA_KIND_SECRET).setId(secretId))
        .setUnavailable("the dispatcher has no cluster key").build());
    startAgent();
    dispatcher.assign(task(id));

    TaskStatus rejected = awaitState(id, TASK_STATE_REJECTED);
    assertThat(rejected.getErr()).contains("secret x (" + secretId + ")").contains("no cluster key");
    assertThat(Files.exists(stateDir.resolve("task-files").resolve(id))).isFalse();
  }
}
