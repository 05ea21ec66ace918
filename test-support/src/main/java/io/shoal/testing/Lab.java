package io.shoal.testing;

import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A lab of hosts on this machine (deploy/lab.sh, issue #10), given to tests by
 * {@link LabExtension}: each host a network namespace with its own dockerd, on a bridge in the
 * root namespace holding {@link #bridgeAddress()}. Test processes of a host (agent, mesh-proxy)
 * run inside it ({@link Host#command}); the control plane stays in the root namespace and listens
 * on the bridge address, where every host reaches it ({@link #etcd()}, {@link #registry}).
 */
public final class Lab {
  private final String name;
  private final String subnet;
  private final String bridgeAddress;
  private final List<Host> hosts;
  private final Path script;
  private EtcdTestCluster etcd;
  private final Map<String, RegistryTestServer> registries = new HashMap<>();

  Lab(String name, String subnet, String bridgeAddress, List<Host> hosts, Path script) {
    this.name = name;
    this.subnet = subnet;
    this.bridgeAddress = bridgeAddress;
    this.hosts = List.copyOf(hosts);
    this.script = script;
  }

  /**
   * A host of the lab.
   *
   * @param name {@code h1}, {@code h2}, ...: what {@code lab.sh} and Shoal's node names call it
   * @param netns its network namespace, {@code LAB-h1}
   * @param address its eth0 address on the lab bridge
   * @param dockerHost its own dockerd, {@code unix:///…/h1/docker.sock}
   */
  public record Host(String name, String netns, String address, String dockerHost) {
    public DockerTestEngine engine() {
      return new DockerTestEngine(dockerHost);
    }

    /**
     * {@code command} run inside this host's network namespace. With {@code nsenter --net}, as
     * {@code lab.sh exec} does (never {@code ip netns exec}, which remounts /sys); nsenter execs
     * the command, so the process started is the command itself.
     */
    public List<String> command(List<String> command) {
      List<String> all = new ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + netns, "--"));
      all.addAll(command);
      return all;
    }
  }

  /** The lab's name in {@code deploy/lab.sh}; its bridge is {@code NAME-br}. */
  public String name() {
    return name;
  }

  /** Its subnet, e.g. {@code 10.231.7.0/24}; every host's engine trusts registries in it. */
  public String subnet() {
    return subnet;
  }

  /** The bridge's address in the root namespace, the one every host reaches. */
  public String bridgeAddress() {
    return bridgeAddress;
  }

  /** Its hosts, {@code h1} first. */
  public List<Host> hosts() {
    return hosts;
  }

  /** The host named {@code name} ({@code h1} ...). */
  public Host host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("lab " + this.name + " has no host " + name));
  }

  /** Cuts {@code host} off the lab network: everything on its eth0 is dropped, both ways. */
  public void partition(Host host) {
    run("partition", name, host.name());
  }

  /** Undoes {@link #partition}. */
  public void heal(Host host) {
    run("heal", name, host.name());
  }

  /** Stops {@code host}'s dockerd (and so its containers); its data stays. */
  public void stopEngine(Host host) {
    run("stop-engine", name, host.name());
  }

  /** SIGKILLs {@code host}'s dockerd, as a crash would; its containers' shims live on. */
  public void killEngine(Host host) {
    run("kill-engine", name, host.name());
  }

  /** Starts {@code host}'s dockerd again, on its data; returns once it answers. */
  public void startEngine(Host host) {
    run("start-engine", name, host.name());
  }

  /**
   * The lab's etcd: one per lab, started on first use, listening on the bridge address (the
   * hosts' mesh-proxies read it). Each test takes its own root with {@link EtcdTestCluster#newRoot()}.
   */
  public synchronized EtcdTestCluster etcd() {
    if (etcd == null) {
      etcd = EtcdExtension.start(bridgeAddress);
    }
    return etcd;
  }

  /**
   * {@code registry} (on this machine's loopback, which the hosts cannot reach) as the hosts see
   * it: at the bridge address, same port, through a relay ({@code socat}) started on first use.
   * Images named with it are pushed through the loopback address ({@link TestImages#busybox(RegistryTestServer, String)}),
   * and pulled by the hosts' engines, which trust the lab's subnet as an insecure registry.
   */
  public synchronized RegistryTestServer registry(RegistryTestServer registry) {
    return registries.computeIfAbsent(registry.pushAddress(), a -> relay(registry));
  }

  private RegistryTestServer relay(RegistryTestServer registry) {
    String address = registry.pushAddress();
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    if (!host.startsWith("127.")) {
      throw new IllegalArgumentException("a registry on loopback expected, not " + address);
    }
    ExternalProcess.start("relay-" + port, List.of("socat",
            "TCP-LISTEN:" + port + ",bind=" + bridgeAddress + ",reuseaddr,fork", "TCP:" + address),
            ExternalProcess.tempDir("shoal-lab-relay"))
        .awaitReady(Duration.ofSeconds(10), () -> ExternalProcess.canConnect(bridgeAddress, port));
    return registry.at(bridgeAddress + ":" + port);
  }

  void run(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    Commands.run(command).orThrow();
  }
}
