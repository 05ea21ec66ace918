package io.shoal.agent;

import static io.shoal.api.v1.TaskState.TASK_STATE_ACCEPTED;
import static io.shoal.api.v1.TaskState.TASK_STATE_COMPLETE;
import static io.shoal.api.v1.TaskState.TASK_STATE_FAILED;
import static io.shoal.api.v1.TaskState.TASK_STATE_PREPARING;
import static io.shoal.api.v1.TaskState.TASK_STATE_REJECTED;
import static io.shoal.api.v1.TaskState.TASK_STATE_RUNNING;
import static io.shoal.api.v1.TaskState.TASK_STATE_SHUTDOWN;
import static io.shoal.api.v1.TaskState.TASK_STATE_STARTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.RegisterNode;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent against a real dockerd and a real registry, with a fake dispatcher. */
@Tag("docker")
@ExtendWith({DockerExtension.class, RegistryExtension.class})
class NodeAgentIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String INDEX = "hello from a shoal task\n";
  private static String image;

  private final List<NodeAgent> agents = new ArrayList<>();
  private final List<FakeDispatcher> dispatchers = new ArrayList<>();
  private final List<String> nodeIds = new ArrayList<>();
  private final List<FakeRegistryService> registryServices = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** The registry service agents ask for pull credentials; tests that need one set it. */
  private String registryService = "127.0.0.1:" + ExternalProcess.freePort();
  private DockerTestEngine docker;
  private FakeDispatcher dispatcher;
  private Path stateDir;
  private String addr;

  @BeforeAll
  static void buildImage(DockerTestEngine docker, RegistryTestServer registry) {
    image = TestImages.busybox(registry.image("shoal-test/agent-web") + ":1")
        .file("/www/index.html", INDEX)
        .push(docker);
  }

  void setUp(DockerTestEngine docker, String addr) {
    this.docker = docker;
    this.addr = addr;
    this.dispatcher = dispatcher(0);
    this.stateDir = ExternalProcess.tempDir("shoal-agent-state");
  }

  @AfterEach
  void tearDown() {
    agents.forEach(NodeAgent::close);
    dispatchers.forEach(FakeDispatcher::close);
    registryServices.forEach(FakeRegistryService::close);
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    for (String node : nodeIds) {
      docker.removeContainers("io.shoal.node.id=" + node);
    }
  }

  @Test
  void runsATaskAndServesItsPublishedPorts(DockerTestEngine docker, RegistryTestServer registry) throws Exception {
    setUp(docker, "127.0.0.2");
    // An image that is only in the registry: the agent has to pull it.
    String pulled = TestImages.busybox(registry.image("shoal-test/agent-pull") + ":1")
        .file("/www/index.html", INDEX)
        .push(docker);
    TestImages.removeLocal(docker, pulled);
    int hostPort = ExternalProcess.freePort();
    String id = TestTasks.id("web");
    Task task = TestTasks.task(id, "web", 1,
        TestTasks.container(pulled, "httpd", "-f", "-p", "8080", "-h", "/www")
            .addEnv("GREETING=hi").addEnv("MODE=a").addEnv("MODE=b")
            .setWorkdir("/www")
            .setUser("nobody"),
        PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(8080)
            .setPublishedPort(30080).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS).build(),
        PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_TCP).setTargetPort(8080)
            .setPublishedPort(hostPort).setPublishMode(PublishMode.PUBLISH_MODE_HOST).build());
    NodeAgent agent = startAgent();
    dispatcher.assign(task);

    TaskStatus running = awaitState(id, TASK_STATE_RUNNING);
    RegisterNode registered = dispatcher.registrations().get(0);
    assertThat(registered.getNodeId()).isEqualTo(agent.node().id());
    assertThat(registered.getDescription().getHostname()).isEqualTo("test-127.0.0.2");
    assertThat(registered.getDescription().getAddr()).isEqualTo("127.0.0.2");
    assertThat(registered.getDescription().getOs()).isEqualTo("linux");
    assertThat(registered.getDescription().getArch()).isNotEmpty();
    assertThat(registered.getDescription().getNanoCpus()).isGreaterThanOrEqualTo(1_000_000_000L);
    assertThat(registered.getDescription().getMemoryBytes()).isPositive();
    assertThat(registered.getDescription().getEngineVersion())
        .isEqualTo(docker.docker("version", "--format", "{{.Server.Version}}"));
    assertThat(dispatcher.states(id)).containsExactly(
        TASK_STATE_ACCEPTED, TASK_STATE_PREPARING, TASK_STATE_STARTING, TASK_STATE_RUNNING);
    assertThat(dispatcher.updates(id)).extracting(u -> u.getStatus().getMessage())
        .containsExactly("accepted", "preparing", "starting", "started");
    assertThat(dispatcher.updates(id)).allSatisfy(u -> assertThat(u.getStatus().getTimestamp().getSeconds()).isPositive());

    String container = running.getContainerId();
    assertThat(docker.inspect("{{.Name}}", container)).isEqualTo("/web.1." + id);
    assertThat(docker.inspect("{{json .Config.Env}}", container)).contains("\"GREETING=hi\"", "\"MODE=b\"")
        .doesNotContain("MODE=a");
    assertThat(docker.inspect("{{.Config.WorkingDir}}", container)).isEqualTo("/www");
    assertThat(docker.inspect("{{.Config.User}}", container)).isEqualTo("nobody");
    assertThat(docker.inspect("{{json .Config.Cmd}}", container)).isEqualTo("[\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]");
    assertThat(docker.inspect("{{.HostConfig.Init}}", container)).isEqualTo("true");
    assertThat(docker.inspect("{{.HostConfig.RestartPolicy.Name}}", container)).isIn("no", "");
    assertThat(docker.inspect("{{index .Config.Labels \"io.shoal.node.id\"}}", container)).isEqualTo(agent.node().id());
    assertThat(docker.inspect("{{index .Config.Labels \"io.shoal.task.id\"}}", container)).isEqualTo(id);
    assertThat(docker.inspect("{{index .Config.Labels \"io.shoal.service.id\"}}", container)).isEqualTo("svc-web");
    assertThat(docker.inspect("{{.Config.StopTimeout}}", container)).isEqualTo("1");

    assertThat(running.getPortsList()).hasSize(2);
    PortBinding ingress = running.getPorts(0);
    PortBinding host = running.getPorts(1);
    assertThat(ingress.getPublishMode()).isEqualTo(PublishMode.PUBLISH_MODE_INGRESS);
    assertThat(ingress.getHostIp()).isEqualTo("127.0.0.2");
    assertThat(ingress.getTargetPort()).isEqualTo(8080);
    assertThat(ingress.getHostPort()).isPositive().isNotEqualTo(30080);
    assertThat(host.getPublishMode()).isEqualTo(PublishMode.PUBLISH_MODE_HOST);
    assertThat(host.getHostPort()).isEqualTo(hostPort);
    for (PortBinding binding : running.getPortsList()) {
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(httpGet("http://" + binding.getHostIp() + ":" + binding.getHostPort() + "/index.html"))
              .isEqualTo(INDEX));
    }
  }

  @Test
  void desiredShutdownStopsAndRemovesTheContainer(DockerTestEngine docker) {
    setUp(docker, "127.0.0.3");
    String id = TestTasks.id("stop");
    // No init: sh ignores SIGTERM as PID 1, so the 1 s grace period ends in SIGKILL.
    dispatcher.assign(TestTasks.task(id, "stopper", 1,
        TestTasks.container(image, "sh", "-c", "sleep 3600").setInit(false)));
    startAgent();
    String container = awaitState(id, TASK_STATE_RUNNING).getContainerId();

    dispatcher.setDesired(id, TaskState.TASK_STATE_SHUTDOWN);

    TaskStatus shutdown = awaitState(id, TASK_STATE_SHUTDOWN);
    assertThat(shutdown.getMessage()).isEqualTo("shutdown");
    assertThat(docker.tryDocker("inspect", container).ok()).isFalse();
  }

  @Test
  void exitedContainersCompleteOrFail(DockerTestEngine docker) {
    setUp(docker, "127.0.0.4");
    String failing = TestTasks.id("fail");
    String finishing = TestTasks.id("done");
    startAgent();
    dispatcher.assign(
        TestTasks.task(failing, "failing", 1, TestTasks.container(image, "sh", "-c", "sleep 0.3; exit 3")),
        TestTasks.task(finishing, "finishing", 1, TestTasks.container(image, "true")));

    TaskStatus failed = awaitState(failing, TASK_STATE_FAILED);
    assertThat(failed.getExitCode()).isEqualTo(3);
    assertThat(failed.getErr()).isEqualTo("task: non-zero exit (3)");
    assertThat(dispatcher.states(failing)).contains(TASK_STATE_RUNNING);
    TaskStatus complete = awaitState(finishing, TASK_STATE_COMPLETE);
    assertThat(complete.getExitCode()).isZero();
    assertThat(complete.getErr()).isEmpty();
  }

  @Test
  void restartedAgentAdoptsItsContainers(DockerTestEngine docker) {
    setUp(docker, "127.0.0.5");
    String id = TestTasks.id("adopt");
    dispatcher.assign(TestTasks.task(id, "adopted", 1,
        TestTasks.container(image, "httpd", "-f", "-p", "80", "-h", "/www"),
        PortConfig.newBuilder().setTargetPort(80).setPublishMode(PublishMode.PUBLISH_MODE_INGRESS).build()));
    NodeAgent first = startAgent();
    TaskStatus running = awaitState(id, TASK_STATE_RUNNING);
    first.close();
    agents.remove(first);
    // The store lags behind: the new session's set shows the task as just assigned.
    dispatcher.resetStatus(id, dispatcher.task(id).getStatus().toBuilder()
        .setState(TaskState.TASK_STATE_ASSIGNED).clearContainerId().clearPorts().build());
    int reportsBefore = dispatcher.updates(id).size();

    NodeAgent second = startAgent();

    assertThat(second.node().id()).isEqualTo(first.node().id());
    await().atMost(WAIT).until(() -> dispatcher.registrations().size() == 2);
    await().atMost(WAIT).until(() -> dispatcher.updates(id).size() > reportsBefore);
    TaskStatus adopted = dispatcher.lastStatus(id);
    assertThat(adopted.getState()).isEqualTo(TASK_STATE_RUNNING);
    assertThat(adopted.getContainerId()).isEqualTo(running.getContainerId());
    assertThat(adopted.getPortsList()).isEqualTo(running.getPortsList());
    assertThat(docker.containerIds("io.shoal.task.id=" + id)).containsExactly(running.getContainerId());
  }

  @Test
  void aTaskDroppedFromTheSetLosesItsContainer(DockerTestEngine docker) {
    setUp(docker, "127.0.0.6");
    String kept = TestTasks.id("kept");
    String dropped = TestTasks.id("drop");
    dispatcher.assign(
        TestTasks.task(kept, "kept", 1, TestTasks.container(image, "sleep", "3600")),
        TestTasks.task(dropped, "dropped", 1, TestTasks.container(image, "sleep", "3600")));
    startAgent();
    String keptContainer = awaitState(kept, TASK_STATE_RUNNING).getContainerId();
    awaitState(dropped, TASK_STATE_RUNNING);

    dispatcher.unassign(dropped);

    await().atMost(WAIT).until(() -> docker.containerIds("io.shoal.task.id=" + dropped).isEmpty());
    assertThat(docker.containerIds("io.shoal.task.id=" + kept)).containsExactly(keptContainer);
    assertThat(docker.inspect("{{.State.Running}}", keptContainer)).isEqualTo("true");
  }

  @Test
  void aContainerOfAnUnknownTaskIsRemoved(DockerTestEngine docker) {
    setUp(docker, "127.0.0.7");
    NodeAgent agent = startAgent();
    String stray = TestTasks.id("stray");
    // Created, not run: `docker run` raced the agent's first sweep, which could remove the
    // container between run's create and its start ("container is marked for removal").
    String container = docker.docker("create",
        "--label", "io.shoal.node.id=" + agent.node().id(), "--label", "io.shoal.task.id=" + stray,
        image.substring(0, image.indexOf('@')), "sleep", "3600");

    dispatcher.assign();

    await().atMost(WAIT).until(() -> !docker.tryDocker("inspect", container).ok());
  }

  @Test
  void anImageThatCannotBePulledIsRejected(DockerTestEngine docker, RegistryTestServer registry) {
    setUp(docker, "127.0.0.8");
    String missing = TestTasks.id("missing");
    String badDigest = TestTasks.id("digest");
    startAgent();
    dispatcher.assign(
        TestTasks.task(missing, "missing", 1, TestTasks.container(registry.image("shoal-test/no-such-image") + ":1")),
        TestTasks.task(badDigest, "digest", 1, TestTasks.container(
            registry.image("shoal-test/agent-web") + ":1@sha256:" + "0".repeat(64))));

    for (String id : List.of(missing, badDigest)) {
      TaskStatus rejected = awaitState(id, TASK_STATE_REJECTED);
      assertThat(rejected.getErr()).isNotBlank();
      assertThat(dispatcher.states(id)).doesNotContain(TASK_STATE_STARTING, TASK_STATE_RUNNING);
    }
    assertThat(dispatcher.lastStatus(missing).getErr()).contains("no-such-image");
  }

  @Test
  void aPullWithoutCredentialsIsRejected(DockerTestEngine docker) {
    setUp(docker, "127.0.0.10");
    RegistryTestServer secured = RegistryTestServer.startWithBasicAuth("shoal", "s3cret-pass");
    String privateImage = TestImages.busybox(secured.image("shoal-test/private") + ":1")
        .credentials(secured)
        .push(docker);
    TestImages.removeLocal(docker, privateImage);
    String id = TestTasks.id("private");
    startAgent();

    dispatcher.assign(TestTasks.task(id, "private", 1, TestTasks.container(privateImage, "sleep", "3600")));

    TaskStatus rejected = awaitState(id, TASK_STATE_REJECTED);
    assertThat(rejected.getErr()).containsIgnoringCase("auth");
  }

  @Test
  void aPullUsesTheCredentialsTheRegistryServiceHandsToThisNode(DockerTestEngine docker) {
    setUp(docker, "127.0.0.12");
    RegistryTestServer secured = RegistryTestServer.startWithBasicAuth("shoal", "s3cret-pass");
    String privateImage = TestImages.busybox(secured.image("shoal-test/private-ok") + ":1")
        .credentials(secured)
        .push(docker);
    TestImages.removeLocal(docker, privateImage);
    FakeRegistryService credentials = new FakeRegistryService((node, session) ->
        dispatcher.registrations().stream().anyMatch(r -> r.getNodeId().equals(node)) && session.startsWith("secret-"));
    registryServices.add(credentials);
    registryService = credentials.address();
    String id = TestTasks.id("private-ok");
    credentials.credentialsByTask.put(id, io.shoal.api.v1.RegistryAuth.newBuilder()
        .setServerAddress(secured.address()).setUsername("shoal").setPassword("s3cret-pass").build());
    NodeAgent agent = startAgent();

    dispatcher.assign(TestTasks.task(id, "private-ok", 1, TestTasks.container(privateImage, "sleep", "3600")));

    awaitState(id, TASK_STATE_RUNNING);
    assertThat(credentials.requests).singleElement().satisfies(r -> {
      assertThat(r.getNodeId()).isEqualTo(agent.node().id());
      assertThat(r.getTaskId()).isEqualTo(id);
      assertThat(r.getSessionSecret()).isEqualTo("secret-1");
    });
  }

  @Test
  void aNodeTheRegistryServiceRefusesIsRejectedWithThePullErrorAndTheReason(DockerTestEngine docker) {
    setUp(docker, "127.0.0.13");
    RegistryTestServer secured = RegistryTestServer.startWithBasicAuth("shoal", "s3cret-pass");
    String privateImage = TestImages.busybox(secured.image("shoal-test/private-refused") + ":1")
        .credentials(secured)
        .push(docker);
    TestImages.removeLocal(docker, privateImage);
    FakeRegistryService credentials = new FakeRegistryService((node, session) -> false);
    registryServices.add(credentials);
    registryService = credentials.address();
    String id = TestTasks.id("private-refused");
    startAgent();

    dispatcher.assign(TestTasks.task(id, "private-refused", 1, TestTasks.container(privateImage, "sleep", "3600")));

    TaskStatus rejected = awaitState(id, TASK_STATE_REJECTED);
    assertThat(rejected.getErr()).containsIgnoringCase("auth")
        .contains("no registry credentials: registry service: PERMISSION_DENIED");
  }

  @Test
  void aPullThatNeverEndsIsRejectedAtThePullTimeoutAndFreesItsWorker(DockerTestEngine docker) throws IOException {
    setUp(docker, "127.0.0.14");
    // A registry that accepts connections and never answers: dockerd itself would wait for ever.
    SilentServer registry = new SilentServer();
    closeables.add(registry);
    String stuck = TestTasks.id("stuck");
    String next = TestTasks.id("after-stuck");
    startAgent("--pull-timeout", "3s", "--task-workers", "1");

    dispatcher.assign(TestTasks.task(stuck, "stuck", 1,
        TestTasks.container("127.0.0.1:" + registry.port() + "/shoal-test/never:1", "sleep", "3600")));

    TaskStatus rejected = awaitState(stuck, TASK_STATE_REJECTED);
    assertThat(rejected.getErr())
        .startsWith("pull 127.0.0.1:" + registry.port() + "/shoal-test/never:1: ")
        .contains(": dockerd did not finish the pull within 3s (--pull-timeout)");
    assertThat(registry.accepted()).as("dockerd was really waiting on the registry").isPositive();
    // The agent's only worker is free again.
    dispatcher.assign(TestTasks.task(next, "after-stuck", 1, TestTasks.container(image, "sleep", "3600")));
    awaitState(next, TASK_STATE_RUNNING);
  }

  @Test
  void aSlowStopHoldsUpNeitherOtherTasksNorHeartbeats(DockerTestEngine docker) {
    setUp(docker, "127.0.0.11");
    String slow = TestTasks.id("slow");
    String next = TestTasks.id("next");
    // sh as PID 1 ignores SIGTERM: the stop lasts the whole 4 s grace period.
    dispatcher.assign(TestTasks.task(slow, "slow", 1, TestTasks.container(image, "sh", "-c", "sleep 3600")
        .setInit(false).setStopGracePeriod(com.google.protobuf.Duration.newBuilder().setSeconds(4))));
    startAgent();
    awaitState(slow, TASK_STATE_RUNNING);

    dispatcher.setDesired(slow, TaskState.TASK_STATE_SHUTDOWN);
    int heartbeats = dispatcher.heartbeats();
    dispatcher.assign(TestTasks.task(next, "next", 1, TestTasks.container(image, "sleep", "3600")));

    awaitState(next, TASK_STATE_RUNNING);
    await().atMost(WAIT).until(() -> dispatcher.heartbeats() >= heartbeats + 2);
    assertThat(dispatcher.states(slow)).doesNotContain(TASK_STATE_SHUTDOWN);
    awaitState(slow, TASK_STATE_SHUTDOWN);
  }

  @Test
  void reconnectsAndSendsWhatHappenedMeanwhile(DockerTestEngine docker) {
    setUp(docker, "127.0.0.9");
    String id = TestTasks.id("reconnect");
    dispatcher.assign(TestTasks.task(id, "reconnect", 1, TestTasks.container(image, "sleep", "3600")));
    startAgent();
    String container = awaitState(id, TASK_STATE_RUNNING).getContainerId();
    await().atMost(WAIT).until(() -> dispatcher.heartbeats() >= 1);

    // The dispatcher goes away; the task's container dies while the agent cannot report it.
    int port = dispatcher.port();
    dispatcher.close();
    docker.docker("kill", container);
    FakeDispatcher restarted = dispatcher(port);
    restarted.assign(dispatcher.task(id));

    await().atMost(WAIT).until(() -> restarted.registrations().size() == 1);
    await().atMost(WAIT).until(() -> restarted.lastStatus(id).getState() == TASK_STATE_FAILED);
    assertThat(restarted.lastStatus(id).getExitCode()).isEqualTo(137);
    assertThat(docker.tryDocker("inspect", container).ok()).isTrue();
  }

  private FakeDispatcher dispatcher(int port) {
    FakeDispatcher d = new FakeDispatcher(500).start(port);
    dispatchers.add(d);
    return d;
  }

  private NodeAgent startAgent(String... extraFlags) {
    List<String> args = new ArrayList<>(List.of(
        "--addr", addr,
        "--hostname", "test-" + addr,
        "--dispatcher", dispatcher.address(),
        "--registry", registryService,
        "--docker-host", docker.host(),
        "--state-dir", stateDir.toString(),
        "--listen", "127.0.0.1:0",
        "--metrics-port", "0"));
    args.addAll(List.of(extraFlags));
    AgentFlags flags = AgentFlags.parse(args.toArray(String[]::new));
    NodeAgent agent = DaggerAgentComponent.builder().configModule(new ConfigModule(flags)).build().agent().start();
    agents.add(agent);
    nodeIds.add(agent.node().id());
    return agent;
  }

  private TaskStatus awaitState(String taskId, TaskState state) {
    await().atMost(WAIT)
        .alias("task " + taskId + " reaching " + state + "; reported so far")
        .until(() -> dispatcher.states(taskId), states -> states.contains(state));
    return dispatcher.updates(taskId).stream()
        .map(u -> u.getStatus())
        .filter(s -> s.getState() == state)
        .findFirst()
        .orElseThrow();
  }

  private static String httpGet(String url) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
