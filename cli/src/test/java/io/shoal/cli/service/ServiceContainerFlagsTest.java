package io.shoal.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.DnsConfig;
import io.shoal.api.v1.LogDriver;
import io.shoal.api.v1.Mount;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Ulimit;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code service create}'s container options and their {@code service update} forms. */
class ServiceContainerFlagsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  private static Mount mount(Mount.Type type, String source, String target) {
    return Mount.newBuilder().setType(type).setSource(source).setTarget(target).build();
  }

  @Test
  void createSendsEveryOption(@TempDir Path dir) throws Exception {
    Path envFile = dir.resolve("app.env");
    Files.writeString(envFile, "# comment\nFROM_FILE=1\nSHARED=file\nCLIENT_ONLY\n");
    cli.env("CLIENT_ONLY", "yes");

    Result r = cli.run("service", "create", "-d", "--name", "web",
        "--mount", "type=bind,source=/srv,target=/srv,readonly", "--mount", "type=tmpfs,target=/tmp",
        "--hostname", "{{.Service.Name}}-{{.Task.Slot}}", "--dns", "10.0.0.53", "--dns-search", "example.org",
        "--dns-option", "ndots:2", "--host", "db:10.1.2.3", "--container-label", "tier=web",
        "--entrypoint", "/bin/sh -c", "--env-file", envFile.toString(), "-e", "SHARED=flag", "--group", "audio",
        "--cap-add", "net_admin", "--cap-drop", "ALL", "--read-only", "--stop-signal", "SIGUSR1",
        "--sysctl", "net.ipv4.ip_forward=1", "--ulimit", "nofile=1024:2048", "-t",
        "--log-driver", "json-file", "--log-opt", "max-size=1m", "nginx", "echo hi");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    ContainerSpec c = cli.control().creates().get(0).getSpec().getContainer();
    assertThat(c.getMountsList()).containsExactly(
        mount(Mount.Type.TYPE_BIND, "/srv", "/srv").toBuilder().setReadOnly(true).build(),
        mount(Mount.Type.TYPE_TMPFS, "", "/tmp"));
    assertThat(c.getHostname()).isEqualTo("{{.Service.Name}}-{{.Task.Slot}}");
    assertThat(c.getDnsConfig()).isEqualTo(DnsConfig.newBuilder().addNameservers("10.0.0.53")
        .addSearch("example.org").addOptions("ndots:2").build());
    assertThat(c.getHostsList()).containsExactly("10.1.2.3 db");
    assertThat(c.getLabelsMap()).containsExactlyEntriesOf(java.util.Map.of("tier", "web"));
    assertThat(c.getCommandList()).containsExactly("/bin/sh", "-c");
    assertThat(c.getArgsList()).containsExactly("echo hi");
    assertThat(c.getEnvList()).containsExactly("FROM_FILE=1", "SHARED=file", "CLIENT_ONLY=yes", "SHARED=flag");
    assertThat(c.getGroupsList()).containsExactly("audio");
    assertThat(c.getCapabilityAddList()).containsExactly("CAP_NET_ADMIN");
    assertThat(c.getCapabilityDropList()).containsExactly("ALL");
    assertThat(c.getReadOnly()).isTrue();
    assertThat(c.getStopSignal()).isEqualTo("SIGUSR1");
    assertThat(c.getSysctlsMap()).containsExactlyEntriesOf(java.util.Map.of("net.ipv4.ip_forward", "1"));
    assertThat(c.getUlimitsList()).containsExactly(Ulimit.newBuilder().setName("nofile").setSoft(1024).setHard(2048).build());
    assertThat(c.getTty()).isTrue();
    assertThat(c.getLogDriver()).isEqualTo(LogDriver.newBuilder().setName("json-file").putOptions("max-size", "1m").build());
  }

  @Test
  void aBadMountIsAUsageErrorNamingTheFlag() {
    Result r = cli.run("service", "create", "--mount", "type=bind,source=/a", "nginx");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines().get(0)).isEqualTo("shoal: Invalid value for option '--mount': target is required");
  }

  @Test
  void updateRemovesThenAddsEachList() {
    ServiceSpec current = Fixtures.replicated("web", "nginx:1.27", 1).toBuilder().putLabels("old", "1")
        .setContainer(Fixtures.replicated("web", "nginx:1.27", 1).getContainer().toBuilder()
            .addMounts(mount(Mount.Type.TYPE_VOLUME, "a", "/a")).addMounts(mount(Mount.Type.TYPE_VOLUME, "b", "/b"))
            .setDnsConfig(DnsConfig.newBuilder().addNameservers("10.0.0.1").addSearch("old.org").addOptions("ndots:1"))
            .addHosts("10.0.0.9 gone").addHosts("10.0.0.8 kept").putLabels("c-old", "1").addGroups("audio")
            .addCapabilityAdd("CAP_SYS_TIME").addCapabilityDrop("CAP_CHOWN").setReadOnly(true)
            .putSysctls("net.core.somaxconn", "128")
            .addUlimits(Ulimit.newBuilder().setName("nproc").setSoft(1).setHard(1))
            .addUlimits(Ulimit.newBuilder().setName("nofile").setSoft(1).setHard(1)))
        .build();
    cli.control().addService(current);

    Result r = cli.run("service", "update", "-d", "--mount-rm", "/a", "--mount-add", "type=tmpfs,target=/b",
        "--dns-rm", "10.0.0.1", "--dns-add", "10.0.0.2", "--dns-search-rm", "old.org", "--dns-search-add", "new.org",
        "--dns-option-rm", "ndots:1", "--dns-option-add", "ndots:3", "--host-rm", "gone", "--host-add", "db:10.1.2.3",
        "--container-label-rm", "c-old", "--container-label-add", "c-new=2", "--label-rm", "old",
        "--label-add", "new=2", "--group-rm", "audio", "--group-add", "video", "--cap-add", "chown",
        "--cap-drop", "sys_time", "--read-only=false", "--sysctl-rm", "net.core.somaxconn",
        "--sysctl-add", "net.ipv4.ip_forward=1", "--ulimit-rm", "nproc", "--ulimit-add", "nofile=5:6",
        "--tty", "--stop-signal", "SIGINT", "--hostname", "h-{{.Task.Slot}}", "--entrypoint", "/init", "web");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    ServiceSpec sent = cli.control().updates().get(0).getSpec();
    ContainerSpec c = sent.getContainer();
    assertThat(c.getMountsList()).containsExactly(mount(Mount.Type.TYPE_TMPFS, "", "/b"));
    assertThat(c.getDnsConfig()).isEqualTo(DnsConfig.newBuilder().addNameservers("10.0.0.2")
        .addSearch("new.org").addOptions("ndots:3").build());
    assertThat(c.getHostsList()).containsExactly("10.0.0.8 kept", "10.1.2.3 db");
    assertThat(c.getLabelsMap()).containsExactlyEntriesOf(java.util.Map.of("c-new", "2"));
    assertThat(sent.getLabelsMap()).containsExactlyEntriesOf(java.util.Map.of("new", "2"));
    assertThat(c.getGroupsList()).containsExactly("video");
    assertThat(c.getCapabilityAddList()).containsExactly("CAP_CHOWN");
    assertThat(c.getCapabilityDropList()).containsExactly("CAP_SYS_TIME");
    assertThat(c.getReadOnly()).isFalse();
    assertThat(c.getSysctlsMap()).containsExactlyEntriesOf(java.util.Map.of("net.ipv4.ip_forward", "1"));
    assertThat(c.getUlimitsList()).containsExactly(Ulimit.newBuilder().setName("nofile").setSoft(5).setHard(6).build());
    assertThat(c.getTty()).isTrue();
    assertThat(c.getStopSignal()).isEqualTo("SIGINT");
    assertThat(c.getHostname()).isEqualTo("h-{{.Task.Slot}}");
    assertThat(c.getCommandList()).containsExactly("/init");
  }
}
