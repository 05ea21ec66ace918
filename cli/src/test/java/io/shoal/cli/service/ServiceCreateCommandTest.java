package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.GlobalService;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.EndpointMode;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.TaskState;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceCreateCommandTest {
  static final String FULL_BAR = "[" + "=".repeat(50) + ">]";

  @RegisterExtension final CliHarness cli = new CliHarness();

  @Test
  void sendsTheSpecTheFlagsDescribe() {
    cli.env("FROM_SHELL", "shell value");
    Result r =
        cli.run(
            "service",
            "create",
            "--name",
            "web",
            "--replicas",
            "3",
            "-p",
            "8080:80",
            "--publish",
            "53:53/udp",
            "--publish",
            "published=9090,target=90,mode=host",
            "-p",
            "443",
            "-e",
            "A=1",
            "--env",
            "B=two words",
            "-e",
            "FROM_SHELL",
            "-w",
            "/srv",
            "-u",
            "1000:1000",
            "--init",
            "--stop-grace-period",
            "1m30s",
            "--label",
            "tier=front",
            "-l",
            "team",
            "--no-resolve-image",
            "--detach",
            "busybox:1.36",
            "sh",
            "-c",
            "echo hi; sleep 1");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    CreateServiceRequest sent = cli.control().creates().get(0);
    assertThat(sent.getNoResolveImage()).isTrue();
    assertThat(sent.getSpec())
        .isEqualTo(
            ServiceSpec.newBuilder()
                .setName("web")
                .putLabels("tier", "front")
                .putLabels("team", "")
                .setContainer(
                    ContainerSpec.newBuilder()
                        .setImage("busybox:1.36")
                        .addAllArgs(List.of("sh", "-c", "echo hi; sleep 1"))
                        .addAllEnv(List.of("A=1", "B=two words", "FROM_SHELL=shell value"))
                        .setWorkdir("/srv")
                        .setUser("1000:1000")
                        .setInit(true)
                        .setStopGracePeriod(Duration.newBuilder().setSeconds(90)))
                .setReplicated(ReplicatedService.newBuilder().setReplicas(3))
                .setEndpoint(
                    EndpointSpec.newBuilder()
                        .addPorts(
                            port(8080, 80, Protocol.PROTOCOL_TCP, PublishMode.PUBLISH_MODE_INGRESS))
                        .addPorts(
                            port(53, 53, Protocol.PROTOCOL_UDP, PublishMode.PUBLISH_MODE_INGRESS))
                        .addPorts(
                            port(9090, 90, Protocol.PROTOCOL_TCP, PublishMode.PUBLISH_MODE_HOST))
                        .addPorts(
                            port(0, 443, Protocol.PROTOCOL_TCP, PublishMode.PUBLISH_MODE_INGRESS)))
                .build());
    String id = cli.control().service("web").getId();
    assertThat(r.outLines()).containsExactly(id);
  }

  @Test
  void proxyProtocolAndEndpointLoadBalancingReachTheSpec() {
    Result r =
        cli.run(
            "service", "create", "--name", "web", "-d", "--endpoint-lb", "least-conn",
            "-p", "published=8080,target=80,proxy-protocol=v2", "nginx");

    assertThat(r.err()).isEmpty();
    ServiceSpec spec = cli.control().creates().get(0).getSpec();
    assertThat(spec.getEndpoint().getLoadBalancing())
        .isEqualTo(LoadBalancing.LOAD_BALANCING_LEAST_CONN);
    assertThat(spec.getEndpoint().getPorts(0).getProxyProtocol())
        .isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V2);
  }

  @Test
  void proxyProtocolV2OnAUdpPortReachesTheSpec() {
    Result r =
        cli.run(
            "service", "create", "--name", "dns", "-d",
            "-p", "published=5353,target=53,protocol=udp,proxy-protocol=v2", "coredns");

    assertThat(r.err()).isEmpty();
    PortConfig port = cli.control().creates().get(0).getSpec().getEndpoint().getPorts(0);
    assertThat(port.getProtocol()).isEqualTo(Protocol.PROTOCOL_UDP);
    assertThat(port.getProxyProtocol()).isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V2);
  }

  @Test
  void anUnknownLoadBalancingIsAUsageError() {
    Result r = cli.run("service", "create", "--endpoint-lb", "random", "nginx");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--endpoint-lb", "use round-robin or least-conn");
  }

  @Test
  void endpointModeReachesTheSpecAndIsUnsetWithoutTheFlag() {
    cli.run("service", "create", "--name", "db", "-d", "--endpoint-mode", "dnsrr", "postgres");
    cli.run("service", "create", "--name", "web", "-d", "--endpoint-mode=vip", "nginx");
    cli.run("service", "create", "--name", "plain", "-d", "nginx");

    assertThat(cli.control().creates()).extracting(c -> c.getSpec().getEndpoint().getMode()).containsExactly(
        EndpointMode.ENDPOINT_MODE_DNSRR, EndpointMode.ENDPOINT_MODE_VIP, EndpointMode.ENDPOINT_MODE_UNSPECIFIED);
  }

  @Test
  void anUnknownEndpointModeIsAUsageError() {
    Result r = cli.run("service", "create", "--endpoint-mode", "DNSRR", "nginx");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--endpoint-mode", "unknown endpoint mode \"DNSRR\" (use vip or dnsrr)");
    assertThat(cli.control().creates()).isEmpty();
  }

  @Test
  void dnsrrWithAnIngressPortIsControlsRefusalInOneLine() {
    cli.control().failNext("CreateService", io.grpc.Status.INVALID_ARGUMENT.withDescription(
        "EndpointSpec.mode: port published with ingress mode can't be used with dnsrr mode"
            + " (port 80/tcp; publish it with mode=host, or use --endpoint-mode vip)"));

    Result r = cli.run("service", "create", "--name", "db", "--endpoint-mode", "dnsrr", "-p", "8080:80", "nginx");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: EndpointSpec.mode: port published with ingress mode can't be used"
        + " with dnsrr mode (port 80/tcp; publish it with mode=host, or use --endpoint-mode vip) (INVALID_ARGUMENT)");
  }

  @Test
  void detachDoesNotWait() {
    Result r = cli.run("service", "create", "--name", "web", "-d", "nginx");
    assertThat(r.exitCode()).isZero();
    assertThat(cli.control().listTasksCalls()).isZero();
    assertThat(cli.sleeps()).isZero();
  }

  @Test
  void defaultsToOneReplicaAndNoCommand() {
    cli.run("service", "create", "--name", "web", "-d", "nginx:1.27");
    ServiceSpec spec = cli.control().creates().get(0).getSpec();
    assertThat(spec.getReplicated().getReplicas()).isEqualTo(1);
    assertThat(spec.getContainer().getArgsList()).isEmpty();
    assertThat(spec.hasEndpoint()).isFalse();
    assertThat(cli.control().creates().get(0).getNoResolveImage()).isFalse();
  }

  @Test
  void wordsWithDashesAfterTheImageAreTheCommand() {
    cli.run("service", "create", "--name", "web", "-d", "busybox", "ls", "-la", "--name", "x");
    assertThat(cli.control().creates().get(0).getSpec().getContainer().getArgsList())
        .containsExactly("ls", "-la", "--name", "x");
    assertThat(cli.control().creates().get(0).getSpec().getName()).isEqualTo("web");
  }

  @Test
  void argsFlagIsSplitLikeAShell() {
    cli.run("service", "create", "--name", "web", "-d", "--args", "sh -c 'echo hi'", "busybox");
    assertThat(cli.control().creates().get(0).getSpec().getContainer().getArgsList())
        .containsExactly("sh", "-c", "echo hi");
  }

  @Test
  void globalMode() {
    cli.run("service", "create", "--name", "agent", "--mode", "global", "-d", "agent:1");
    ServiceSpec spec = cli.control().creates().get(0).getSpec();
    assertThat(spec.getGlobal()).isEqualTo(GlobalService.getDefaultInstance());
    assertThat(spec.hasReplicated()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "-p 70000 nginx | Invalid value for option '--publish': bad port spec \"70000\": target"
            + " port 70000 is out of range 1-65535",
        "--publish 8080:80/sctp nginx | Invalid value for option '--publish': bad port spec"
            + " \"8080:80/sctp\": unknown protocol \"sctp\" (use tcp or udp)",
        "-p published=8080 nginx | Invalid value for option '--publish': bad port spec"
            + " \"published=8080\": missing target port (e.g. published=8080,target=80)",
        "--stop-grace-period 10 nginx | Invalid value for option '--stop-grace-period': invalid"
            + " duration \"10\": missing unit (e.g. 10s, 1m30s, 500ms)",
        "--replicas -1 nginx | Invalid value for option '--replicas': \"-1\" is not a number of"
            + " replicas (0 or more)",
        "--replicas x nginx | Invalid value for option '--replicas': \"x\" is not a number of"
            + " replicas (0 or more)",
        "--mode both nginx | Invalid value for option '--mode': unknown mode \"both\" (use"
            + " replicated or global)",
        "--mode global --replicas 2 nginx | --replicas can only be used with replicated mode",
        "-e =x nginx | Invalid value for option '--env': bad env \"=x\": empty variable name",
        "-e NOT_SET nginx | Invalid value for option '--env': bad env \"NOT_SET\": NOT_SET is not"
            + " set here; use NOT_SET=VALUE",
        "--args 'unterminated nginx | Invalid value for option '--args': unterminated ' in"
            + " \"'unterminated\"",
        "--args ls nginx -la | --args and a command after the image cannot be used together",
        "--bogus nginx | Unknown option: '--bogus'",
        "--name web | Missing required parameter: 'IMAGE'",
      })
  void usageErrorsNameTheFlagAndValueAndExitTwo(String args, String message) {
    Result r = cli.run(concat("service", "create", "--name", "web", "-d", args.split(" ")));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("shoal: " + message, "See 'shoal service create --help'.");
    assertThat(cli.control().creates()).isEmpty();
  }

  @Test
  void printsWarningsToStderr() {
    cli.control()
        .createWarnings(
            List.of("image nginx:latest could not be accessed on a registry to record its digest"));
    Result r = cli.run("service", "create", "--name", "web", "-d", "nginx");
    assertThat(r.exitCode()).isZero();
    assertThat(r.errLines())
        .containsExactly(
            "image nginx:latest could not be accessed on a registry to record its digest");
    assertThat(r.outLines()).hasSize(1);
  }

  @Test
  void serverErrorsAreOneLineWithTheCode() {
    Result r = cli.run("service", "create", "--name", "bad name", "nginx");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly(
            "shoal: ServiceSpec.name: \"bad name\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"
                + " (INVALID_ARGUMENT)");
  }

  @Test
  void waitsUntilEveryTaskRunsTheCurrentSpec() {
    cli.control().simulateScheduler(true);
    Result r = cli.run("service", "create", "--name", "web", "--replicas", "2", "nginx:1.27");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    List<String> lines = r.outLines();
    assertThat(lines.get(0)).isEqualTo(cli.control().service("web").getId());
    assertThat(lines)
        .contains(
            "overall progress: 0 out of 2 tasks",
            "1/2: new       [=====>" + " ".repeat(45) + "]",
            "1/2: preparing [" + "=".repeat(33) + ">" + " ".repeat(17) + "]",
            "overall progress: 2 out of 2 tasks",
            "1/2: running   " + FULL_BAR,
            "2/2: running   " + FULL_BAR)
        .endsWith("verify: Service converged");
    // Off a terminal each line is printed once per change: no line twice in a row.
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i)).isNotEqualTo(lines.get(i - 1));
    }
    assertThat(cli.control().tasks())
        .allSatisfy(
            t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_RUNNING));
    // It waited on one WatchService call, cancelled once converged.
    assertThat(cli.control().watches()).isEqualTo(1);
    assertThat(cli.control().watchesCancelled()).isEqualTo(1);
  }

  @Test
  void quietStillWaitsButDrawsNothing() {
    cli.control().simulateScheduler(true);
    Result r = cli.run("service", "create", "--name", "web", "-q", "nginx");
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly(cli.control().service("web").getId());
    assertThat(cli.control().tasks())
        .singleElement()
        .satisfies(
            t -> assertThat(t.getStatus().getState()).isEqualTo(TaskState.TASK_STATE_RUNNING));
  }

  @Test
  void givesUpAfterTheTimeoutNamingWhatIsMissing() {
    cli.control().simulateScheduler(true);
    cli.control().stopAt(TaskState.TASK_STATE_PREPARING);
    Result r = cli.run("service", "create", "--name", "web", "--timeout", "2s", "nginx");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines())
        .containsExactly(
            "shoal: service web did not converge within 2s (0 out of 1 tasks running the current"
                + " spec); see 'shoal service ps web'");
    // 200 ms polls on the fake clock: 2 s is ten sleeps.
    assertThat(cli.sleeps()).isEqualTo(10);
  }

  @Test
  void showsAFailingTasksErrorUnderItsSlot() {
    cli.control().simulateScheduler(true);
    cli.control().failAtStarting("starting container failed: exec: \"nope\": not found");
    Result r = cli.run("service", "create", "--name", "web", "--timeout", "3s", "nginx", "nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.outLines())
        .contains("     error: starting container failed: exec: \"nope\": not found");
    assertThat(r.err()).contains("did not converge within 3s");
  }

  @Test
  void redrawsInPlaceOnATerminal() {
    cli.tty(true);
    cli.control().simulateScheduler(true);
    Result r = cli.run("service", "create", "--name", "web", "nginx");
    assertThat(r.exitCode()).isZero();
    // The stability wait's line is redrawn in place under the bars, and turns into the verdict.
    assertThat(r.out()).contains("\033[2A").contains("\033[3A")
        .contains("verify: Waiting 5 seconds to verify that tasks are stable...\n")
        .endsWith("verify: Service converged\n\033[J");
  }

  @Test
  void waitsTheMonitorPeriodAfterConvergenceAsDockerDoes() {
    cli.control().simulateScheduler(true);
    Result r = cli.run("service", "create", "--name", "web", "nginx");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsSubsequence(
        "overall progress: 1 out of 1 tasks",
        "verify: Waiting 5 seconds to verify that tasks are stable...",
        "verify: Waiting 1 seconds to verify that tasks are stable...",
        "verify: Service converged");
    // 5 s of 200 ms polls on the fake clock, after the steps to RUNNING.
    assertThat(cli.sleeps()).isGreaterThanOrEqualTo(25);
  }

  @Test
  void theServicesOwnUpdateMonitorIsTheStabilityWait() {
    cli.control().simulateScheduler(true);
    Result r = cli.run("service", "create", "--name", "web", "--update-monitor", "2s", "nginx");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).contains("verify: Waiting 2 seconds to verify that tasks are stable...")
        .doesNotContain("verify: Waiting 3 seconds to verify that tasks are stable...");
  }

  @Test
  void aTaskThatCrashesWithinTheMonitorPeriodIsReportedAndTheWaitGoesOn() {
    cli.control().simulateScheduler(true);
    cli.control().crashOnceAfterRunning(3);
    Result r = cli.run("service", "create", "--name", "web", "nginx");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsSubsequence(
        "verify: Waiting 5 seconds to verify that tasks are stable...",
        "verify: Detected task failure",
        "overall progress: 1 out of 1 tasks",
        "verify: Waiting 5 seconds to verify that tasks are stable...",
        "verify: Service converged");
    assertThat(cli.control().tasks()).extracting(t -> t.getStatus().getState())
        .containsExactlyInAnyOrder(TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_RUNNING);
  }

  @Test
  void detachSkipsTheStabilityWait() {
    cli.control().simulateScheduler(true);
    Result r = cli.run("service", "create", "--name", "web", "--detach", "nginx");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).doesNotContain("verify:");
  }

  private static PortConfig port(int published, int target, Protocol protocol, PublishMode mode) {
    return PortConfig.newBuilder()
        .setPublishedPort(published)
        .setTargetPort(target)
        .setProtocol(protocol)
        .setPublishMode(mode)
        .build();
  }

  static String[] concat(String a, String b, String c, String d, String e, String[] rest) {
    String[] all = new String[5 + rest.length];
    all[0] = a;
    all[1] = b;
    all[2] = c;
    all[3] = d;
    all[4] = e;
    System.arraycopy(rest, 0, all, 5, rest.length);
    return all;
  }
}
