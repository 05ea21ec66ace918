package io.shoal.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.DnsConfig;
import io.shoal.api.v1.LogDriver;
import io.shoal.api.v1.Mount;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.Ulimit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskContainerOptionsTest {
  private static Task task(ContainerSpec.Builder options) {
    Task.Builder t = ContainerConfigsTest.task();
    t.getSpecBuilder().putLabels("zone", "east").getContainerBuilder().mergeFrom(options.buildPartial());
    return t.build();
  }

  @Test
  void rendersTheHostnameForTheTaskAndNode() {
    Task t = task(ContainerSpec.newBuilder()
        .setHostname("{{.Service.Name}}-{{.Task.Slot}}.{{.Node.Hostname}}.{{index .Service.Labels \"zone\"}}"));

    ContainerConfig config = ContainerConfigs.forTask(t, "node1", "h2", "127.0.0.2", TaskNetworks.Joining.NONE, List.of());

    assertThat(config.options().hostname()).isEqualTo("web-3.h2.east");
  }

  @Test
  void mapsEachOptionToTheEnginesTerms() {
    Task t = task(ContainerSpec.newBuilder().addCommand("/bin/sh").addCommand("-c")
        .putLabels("tier", "web")
        .addMounts(Mount.newBuilder().setType(Mount.Type.TYPE_TMPFS).setTarget("/scratch")
            .setTmpfsOptions(Mount.TmpfsOptions.newBuilder().setSizeBytes(65536).setMode(0700)))
        .setDnsConfig(DnsConfig.newBuilder().addNameservers("10.0.0.53").addSearch("example.org")
            .addOptions("ndots:2"))
        .addHosts("10.1.2.3 db db.local").addGroups("audio")
        .addCapabilityAdd("CAP_NET_ADMIN").addCapabilityDrop("ALL").setReadOnly(true).setStopSignal("SIGUSR1")
        .putSysctls("net.ipv4.ip_forward", "1")
        .addUlimits(Ulimit.newBuilder().setName("nofile").setSoft(1024).setHard(2048))
        .setTty(true).setLogDriver(LogDriver.newBuilder().setName("json-file").putOptions("max-size", "1m")));

    ContainerConfig config = ContainerConfigs.forTask(t, "node1", "127.0.0.2");
    ContainerOptions o = config.options();

    assertThat(o.entrypoint()).containsExactly("/bin/sh", "-c");
    assertThat(config.labels()).containsEntry("tier", "web").containsEntry(ContainerConfigs.LABEL_NODE_ID, "node1");
    assertThat(o.mounts()).containsExactly(new ContainerOptions.Mount(ContainerOptions.MountType.TMPFS, "",
        "/scratch", false, "", false, Map.of(), "", Map.of(), 65536, 0700));
    assertThat(config.dns()).containsExactly("10.0.0.53");
    assertThat(o.dnsSearch()).containsExactly("example.org");
    assertThat(o.dnsOptions()).containsExactly("ndots:2");
    assertThat(o.extraHosts()).containsExactly("db:10.1.2.3", "db.local:10.1.2.3");
    assertThat(o.groups()).containsExactly("audio");
    assertThat(o.capAdd()).containsExactly("NET_ADMIN");
    assertThat(o.capDrop()).containsExactly("ALL");
    assertThat(o.readOnly()).isTrue();
    assertThat(o.stopSignal()).isEqualTo("SIGUSR1");
    assertThat(o.sysctls()).containsExactlyEntriesOf(Map.of("net.ipv4.ip_forward", "1"));
    assertThat(o.ulimits()).containsExactly(new ContainerOptions.Ulimit("nofile", 1024, 2048));
    assertThat(o.tty()).isTrue();
    assertThat(o.logDriver()).isEqualTo("json-file");
    assertThat(o.logOptions()).containsExactlyEntriesOf(Map.of("max-size", "1m"));
  }

  @Test
  void theNodesResolverStaysFirstOnAShoalNetwork() {
    ContainerSpec spec = ContainerSpec.newBuilder().setDnsConfig(DnsConfig.newBuilder().addNameservers("10.0.0.53")).build();

    assertThat(TaskContainerOptions.nameservers(List.of("169.254.0.2"), spec)).containsExactly("169.254.0.2", "10.0.0.53");
    assertThat(TaskContainerOptions.nameservers(List.of(), ContainerSpec.getDefaultInstance())).isEmpty();
  }

  @Test
  void aContainerLabelCannotReplaceTheAgentsOwn() {
    Task t = task(ContainerSpec.newBuilder().putLabels(ContainerConfigs.LABEL_TASK_ID, "forged"));

    assertThat(ContainerConfigs.forTask(t, "node1", "127.0.0.2").labels())
        .containsEntry(ContainerConfigs.LABEL_TASK_ID, t.getId());
  }
}
