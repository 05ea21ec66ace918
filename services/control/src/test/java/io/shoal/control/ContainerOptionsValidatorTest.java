package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.DnsConfig;
import io.shoal.api.v1.LogDriver;
import io.shoal.api.v1.Mount;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Ulimit;
import io.shoal.common.errors.InvalidArgumentException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerOptionsValidatorTest {
  private static ServiceSpec spec(UnaryOperator<ContainerSpec.Builder> options) {
    return ServiceSpec.newBuilder().setName("web")
        .setContainer(options.apply(ContainerSpec.newBuilder().setImage("127.0.0.1:5000/web:1"))).build();
  }

  private static Mount.Builder mount(Mount.Type type, String source, String target) {
    return Mount.newBuilder().setType(type).setSource(source).setTarget(target);
  }

  @Test
  void acceptsEveryOptionWellFormed() {
    ServiceSpec ok = spec(c -> c.addCommand("/bin/sh").setHostname("{{.Service.Name}}-{{.Task.Slot}}")
        .putLabels("tier", "web")
        .addMounts(mount(Mount.Type.TYPE_BIND, "/srv/data", "/data").setReadOnly(true)
            .setBindOptions(Mount.BindOptions.newBuilder().setPropagation("rslave")))
        .addMounts(mount(Mount.Type.TYPE_VOLUME, "cache-1", "/cache"))
        .addMounts(mount(Mount.Type.TYPE_VOLUME, "", "/anon"))
        .addMounts(mount(Mount.Type.TYPE_TMPFS, "", "/tmp")
            .setTmpfsOptions(Mount.TmpfsOptions.newBuilder().setSizeBytes(1 << 20).setMode(01777)))
        .setDnsConfig(DnsConfig.newBuilder().addNameservers("10.0.0.53").addNameservers("fd00::53")
            .addSearch("example.org").addOptions("ndots:2"))
        .addHosts("10.1.2.3 db db.local").addGroups("audio").addCapabilityAdd("CAP_NET_ADMIN")
        .addCapabilityDrop("ALL").setReadOnly(true).setStopSignal("SIGUSR1")
        .putSysctls("net.ipv4.ip_forward", "1")
        .addUlimits(Ulimit.newBuilder().setName("nofile").setSoft(1024).setHard(2048))
        .addUlimits(Ulimit.newBuilder().setName("core").setSoft(-1).setHard(-1))
        .setTty(true).setLogDriver(LogDriver.newBuilder().setName("json-file").putOptions("max-size", "1m")));

    assertThat(SpecValidator.normalize(ok).getContainer()).isEqualTo(ok.getContainer());
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_BIND, "data", "/data"))),
            "ContainerSpec.mounts[0].source", "absolute path on the node"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_BIND, "/d", "data"))),
            "ContainerSpec.mounts[0].target", "absolute path in the container"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_TMPFS, "/x", "/t"))),
            "ContainerSpec.mounts[0].source", "tmpfs mount has no source"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_VOLUME, "my vol", "/v"))),
            "ContainerSpec.mounts[0].source", "volume name must match"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_VOLUME, "v1", "/v"))
                .addMounts(mount(Mount.Type.TYPE_TMPFS, "", "/v"))),
            "ContainerSpec.mounts[1].target", "mounted twice"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_UNSPECIFIED, "", "/v"))),
            "ContainerSpec.mounts[0].type", "bind, volume or tmpfs"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_VOLUME, "v1", "/v")
                .setTmpfsOptions(Mount.TmpfsOptions.newBuilder().setSizeBytes(1)))),
            "ContainerSpec.mounts[0]", "takes only volume_options"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_BIND, "/d", "/d")
                .setBindOptions(Mount.BindOptions.newBuilder().setPropagation("sideways")))),
            "ContainerSpec.mounts[0].bind_options.propagation", "is not one of"),
        Arguments.of(op(c -> c.addMounts(mount(Mount.Type.TYPE_TMPFS, "", "/t")
                .setTmpfsOptions(Mount.TmpfsOptions.newBuilder().setMode(010000)))),
            "ContainerSpec.mounts[0].tmpfs_options.mode", "outside 0-07777"),
        Arguments.of(op(c -> c.setHostname("{{.Task.Nope}}")), "ContainerSpec.hostname", "unknown placeholder"),
        Arguments.of(op(c -> c.setHostname("{{.Task.Slot")), "ContainerSpec.hostname", "unclosed action"),
        Arguments.of(op(c -> c.putLabels("io.shoal.task.id", "x")), "ContainerSpec.labels", "node agent's own"),
        Arguments.of(op(c -> c.setDnsConfig(DnsConfig.newBuilder().addNameservers("dns.example"))),
            "ContainerSpec.dns_config.nameservers[0]", "not an IP address"),
        Arguments.of(op(c -> c.setDnsConfig(DnsConfig.newBuilder().addSearch("a b"))),
            "ContainerSpec.dns_config.search[0]", "whitespace"),
        Arguments.of(op(c -> c.addHosts("db 10.1.2.3")), "ContainerSpec.hosts[0]", "IP_ADDRESS HOSTNAME"),
        Arguments.of(op(c -> c.addCapabilityAdd("NET_ADMIN")), "ContainerSpec.capability_add", "unknown capability"),
        Arguments.of(op(c -> c.addCapabilityDrop("CAP_FLY")), "ContainerSpec.capability_drop", "unknown capability"),
        Arguments.of(op(c -> c.setStopSignal("SIGNOPE")), "ContainerSpec.stop_signal", "invalid signal"),
        Arguments.of(op(c -> c.setStopSignal("65")), "ContainerSpec.stop_signal", "invalid signal"),
        Arguments.of(op(c -> c.putSysctls("bad name", "1")), "ContainerSpec.sysctls", "not a sysctl name"),
        Arguments.of(op(c -> c.addUlimits(Ulimit.newBuilder().setName("nofile").setSoft(10).setHard(5))),
            "ContainerSpec.ulimits[0]", "soft limit 10 is above hard limit 5"),
        Arguments.of(op(c -> c.addUlimits(Ulimit.newBuilder().setName("files").setSoft(1).setHard(1))),
            "ContainerSpec.ulimits[0].name", "unknown ulimit"),
        Arguments.of(op(c -> c.addUlimits(Ulimit.newBuilder().setName("nproc").setSoft(1).setHard(1))
                .addUlimits(Ulimit.newBuilder().setName("nproc").setSoft(2).setHard(2))),
            "ContainerSpec.ulimits[1].name", "set twice"),
        Arguments.of(op(c -> c.setLogDriver(LogDriver.newBuilder().setName("json file"))),
            "ContainerSpec.log_driver.name", "not a logging driver name"));
  }

  private static UnaryOperator<ContainerSpec.Builder> op(UnaryOperator<ContainerSpec.Builder> op) {
    return op;
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("bad")
  void refusesNamingTheFieldAndTheReason(UnaryOperator<ContainerSpec.Builder> options, String field, String reason) {
    assertThatThrownBy(() -> SpecValidator.normalize(spec(options)))
        .isInstanceOfSatisfying(InvalidArgumentException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.reason()).contains(reason);
        });
  }
}
