package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.e2e.LocalCluster.Container;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container options on the lab (issue #14, item 4): one service with every option, each checked
 * with {@code docker inspect} of its task's container on its node's dockerd; then an update with
 * the -add/-rm forms, checked again on the replacement container.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class, SharedClusterExtension.class})
class ContainerOptionsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NAME = "opts-app";
  private static final String VOLUME = "opts-e2e-vol";
  /** Waits, and stops at once on the stop signals used here. */
  private static final String IDLE = "trap 'exit 0' TERM INT USR1; sleep 100000 & wait";

  /** One row of the table: a docker inspect template and what its output must contain. */
  private record Check(String what, String format, String expected) {}

  private DockerTestEngine docker;
  private RegistryTestServer registry;
  private LocalCluster cluster;

  @BeforeEach
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local, LocalCluster shared) {
    this.docker = docker;
    registry = lab.registry(local);
    cluster = shared;
  }

  @AfterEach
  void stop() {
    cluster.clear();
    cluster.host("h1").engine().tryDocker("volume", "rm", "-f", VOLUME);
  }

  @Test
  void everyOptionReachesTheContainerAndAnUpdateChangesIt(@TempDir Path dir) throws Exception {
    TestImages.busybox(registry, "e2e/opts:1").push(docker);
    String image = registry.image("e2e/opts:1");
    Path data = Files.createDirectories(dir.resolve("data"));
    Path envFile = dir.resolve("app.env");
    Files.writeString(envFile, "# from a file\nFROM_FILE=1\n");

    cluster.succeed("service", "create", "-d", "--name", NAME, "--constraint", "node.hostname==h1",
        "--mount", "type=bind,source=" + data + ",target=/data,readonly",
        "--mount", "type=volume,source=" + VOLUME + ",target=/vol",
        "--mount", "type=tmpfs,target=/scratch,tmpfs-size=1m",
        "--hostname", "{{.Service.Name}}-{{.Task.Slot}}-{{.Node.Hostname}}",
        "--dns", "10.0.0.53", "--dns-search", "example.org", "--dns-option", "ndots:2",
        "--host", "db:10.1.2.3", "--container-label", "tier=web", "--entrypoint", "/bin/sh -c",
        "--env-file", envFile.toString(), "--group", "1234", "--cap-add", "net_admin", "--cap-drop", "chown",
        "--read-only", "--stop-signal", "SIGUSR1", "--sysctl", "net.ipv4.ip_forward=1",
        "--ulimit", "nofile=1024:2048", "-t", "--log-driver", "json-file", "--log-opt", "max-size=1m",
        image, IDLE);

    Container first = onlyRunning();
    check(first, List.of(
        new Check("bind mount", "{{range .Mounts}}{{.Type}}:{{.Source}}>{{.Destination}}:{{.RW}} {{end}}",
            "bind:" + data + ">/data:false"),
        new Check("volume mount", "{{range .Mounts}}{{.Type}}:{{.Name}}>{{.Destination}} {{end}}",
            "volume:" + VOLUME + ">/vol"),
        new Check("tmpfs mount", "{{range .HostConfig.Mounts}}{{.Type}}>{{.Target}} {{end}}", "tmpfs>/scratch"),
        new Check("hostname", "{{.Config.Hostname}}", NAME + "-1-h1"),
        new Check("dns", "{{json .HostConfig.Dns}}", "10.0.0.53"),
        new Check("dns search", "{{json .HostConfig.DnsSearch}}", "[\"example.org\"]"),
        new Check("dns option", "{{json .HostConfig.DnsOptions}}", "[\"ndots:2\"]"),
        new Check("host", "{{json .HostConfig.ExtraHosts}}", "[\"db:10.1.2.3\"]"),
        new Check("container label", "{{index .Config.Labels \"tier\"}}", "web"),
        new Check("entrypoint", "{{json .Config.Entrypoint}}", "[\"/bin/sh\",\"-c\"]"),
        new Check("env file", "{{json .Config.Env}}", "\"FROM_FILE=1\""),
        new Check("group", "{{json .HostConfig.GroupAdd}}", "[\"1234\"]"),
        new Check("cap add", "{{json .HostConfig.CapAdd}}", "NET_ADMIN"),
        new Check("cap drop", "{{json .HostConfig.CapDrop}}", "CHOWN"),
        new Check("read only", "{{.HostConfig.ReadonlyRootfs}}", "true"),
        new Check("stop signal", "{{.Config.StopSignal}}", "SIGUSR1"),
        new Check("sysctl", "{{json .HostConfig.Sysctls}}", "\"net.ipv4.ip_forward\":\"1\""),
        new Check("ulimit", "{{json .HostConfig.Ulimits}}", "{\"Name\":\"nofile\",\"Hard\":2048,\"Soft\":1024}"),
        new Check("tty", "{{.Config.Tty}}", "true"),
        new Check("log driver", "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}",
            "json-file {\"max-size\":\"1m\"}")));
    // The read-only root is read-only in fact, the tmpfs writable.
    assertThat(first.host().engine().tryDocker("exec", first.id(), "sh", "-c", "touch /x").ok()).isFalse();
    assertThat(first.host().engine().tryDocker("exec", first.id(), "sh", "-c", "touch /scratch/x").ok()).isTrue();
    assertThat(cluster.succeed("service", "inspect", "--pretty", NAME))
        .contains(" Mounts:\n  Target:\t/data").contains(" Hostname:");

    cluster.succeed("service", "update", "-d", "--mount-rm", "/scratch", "--mount-add", "type=tmpfs,target=/cache",
        "--hostname", "{{.Task.Name}}", "--dns-rm", "10.0.0.53", "--dns-add", "10.0.0.54",
        "--dns-search-add", "example.net", "--dns-option-rm", "ndots:2", "--host-rm", "db",
        "--host-add", "cache:10.1.2.4", "--container-label-rm", "tier", "--container-label-add", "role=api",
        "--label-add", "team=e2e", "--env-rm", "FROM_FILE", "--group-rm", "1234", "--group-add", "2345",
        "--cap-drop", "net_admin", "--cap-add", "chown", "--read-only=false", "--stop-signal", "SIGINT",
        "--sysctl-rm", "net.ipv4.ip_forward", "--sysctl-add", "net.ipv4.tcp_keepalive_time=600",
        "--ulimit-add", "nofile=512:1024", "--tty=false", "--log-driver", "local", "--log-opt", "max-size=2m",
        NAME);

    await().atMost(WAIT).untilAsserted(() -> assertThat(running()).hasSize(1)
        .allSatisfy(c -> assertThat(c.id()).isNotEqualTo(first.id())));
    Container updated = onlyRunning();
    check(updated, List.of(
        new Check("mount added", "{{range .HostConfig.Mounts}}{{.Type}}>{{.Target}} {{end}}", "tmpfs>/cache"),
        new Check("hostname", "{{.Config.Hostname}}", NAME + ".1."),
        new Check("dns", "{{json .HostConfig.Dns}}", "10.0.0.54"),
        new Check("dns search", "{{json .HostConfig.DnsSearch}}", "[\"example.org\",\"example.net\"]"),
        new Check("host", "{{json .HostConfig.ExtraHosts}}", "[\"cache:10.1.2.4\"]"),
        new Check("container label", "{{index .Config.Labels \"role\"}}/{{index .Config.Labels \"tier\"}}", "api/"),
        new Check("group", "{{json .HostConfig.GroupAdd}}", "[\"2345\"]"),
        new Check("cap add", "{{json .HostConfig.CapAdd}}", "CHOWN"),
        new Check("cap drop", "{{json .HostConfig.CapDrop}}", "NET_ADMIN"),
        new Check("read only", "{{.HostConfig.ReadonlyRootfs}}", "false"),
        new Check("stop signal", "{{.Config.StopSignal}}", "SIGINT"),
        new Check("sysctl", "{{json .HostConfig.Sysctls}}", "{\"net.ipv4.tcp_keepalive_time\":\"600\"}"),
        new Check("ulimit", "{{json .HostConfig.Ulimits}}", "{\"Name\":\"nofile\",\"Hard\":1024,\"Soft\":512}"),
        new Check("tty", "{{.Config.Tty}}", "false"),
        new Check("log driver", "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}",
            "local {\"max-size\":\"2m\"}")));
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(updated.inspect("{{range .Mounts}}{{.Destination}} {{end}}")).doesNotContain("/scratch");
    soft.assertThat(updated.inspect("{{json .HostConfig.Dns}}")).doesNotContain("10.0.0.53");
    soft.assertThat(updated.inspect("{{json .HostConfig.DnsOptions}}")).doesNotContain("ndots:2");
    soft.assertThat(updated.inspect("{{json .Config.Env}}")).doesNotContain("FROM_FILE");
    soft.assertThat(updated.inspect("{{json .HostConfig.CapAdd}}")).doesNotContain("NET_ADMIN");
    soft.assertThat(cluster.succeed("service", "inspect", NAME)).contains("\"team\": \"e2e\"");
    soft.assertAll();
  }

  private static void check(Container c, List<Check> table) {
    SoftAssertions soft = new SoftAssertions();
    for (Check row : table) {
      soft.assertThat(c.inspect(row.format())).as(row.what()).contains(row.expected());
    }
    soft.assertAll();
  }

  private Container onlyRunning() {
    List<Container> found = new ArrayList<>();
    await().atMost(WAIT).untilAsserted(() -> {
      found.clear();
      found.addAll(running());
      assertThat(found).hasSize(1);
    });
    return found.get(0);
  }

  private List<Container> running() {
    return cluster.containers(cluster.serviceId(NAME)).stream()
        .filter(c -> c.tryInspect("{{.State.Running}}").stdout().strip().equals("true")).toList();
  }
}
