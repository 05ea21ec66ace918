package io.shoal.e2e;

import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Commands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A whole Shoal cluster of separate JVMs, as deploy/dev.sh runs it: registry, control,
 * scheduler, dispatcher, and an agent plus a mesh-proxy per node on its own loopback address.
 * Everything binds free ports or addresses of its own, so it runs beside a dev cluster.
 */
final class LocalCluster implements AutoCloseable {
  private static final String CLASSPATH = System.getProperty("java.class.path");

  final List<String> nodeAddrs;
  final String controlAddr;
  private final DockerTestEngine docker;
  private final List<ExternalProcess> processes = new ArrayList<>();
  private final Set<String> serviceIds = new LinkedHashSet<>();
  private final Path dir = ExternalProcess.tempDir("shoal-e2e");

  LocalCluster(EtcdTestCluster etcd, DockerTestEngine docker, List<String> nodeAddrs) {
    this.nodeAddrs = nodeAddrs;
    this.docker = docker;
    String dockerHost = docker.host();
    String root = etcd.newRoot();
    List<String> etcdFlags = List.of("--etcd-endpoints", etcd.endpoints(), "--etcd-prefix", root);
    String registry = "127.0.0.1:" + ExternalProcess.freePort();
    controlAddr = "127.0.0.1:" + ExternalProcess.freePort();
    String dispatcher = "127.0.0.1:" + ExternalProcess.freePort();
    String scheduler = "127.0.0.1:" + ExternalProcess.freePort();

    // The registry service reads credentials and sessions from the cluster's etcd; its key
    // seals registry credentials (--with-registry-auth).
    start("registry", "io.shoal.registry.RegistryMain",
        join(etcdFlags, List.of("--listen", registry, "--cluster-key-file", clusterKeyFile().toString())), metricsFlag());
    start("control", "io.shoal.control.ControlMain",
        join(etcdFlags, List.of("--listen", controlAddr, "--registry", registry)), metricsFlag());
    start("scheduler", "io.shoal.scheduler.SchedulerMain", join(etcdFlags, List.of("--listen", scheduler)), metricsFlag());
    start("dispatcher", "io.shoal.dispatcher.DispatcherMain",
        join(etcdFlags, List.of("--listen", dispatcher, "--heartbeat-period", "1s")), metricsFlag());
    for (int i = 0; i < nodeAddrs.size(); i++) {
      String addr = nodeAddrs.get(i);
      String node = "e2e-node-" + (i + 1);
      start("agent-" + node, "io.shoal.agent.NodeAgentMain", List.of(
          "--hostname", node, "--addr", addr, "--dispatcher", dispatcher, "--docker-host", dockerHost,
          "--state-dir", dir.resolve(node).toString(), "--registry", registry,
          "--listen", addr + ":" + ExternalProcess.freePort()), metricsFlag());
      start("mesh-" + node, "io.shoal.meshproxy.MeshProxyMain",
          join(etcdFlags, List.of("--addr", addr, "--listen", addr + ":" + ExternalProcess.freePort())), metricsFlag());
    }
  }

  /** A fresh random cluster key (base64 of 32 bytes), readable by its owner only. */
  private Path clusterKeyFile() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Path file = dir.resolve("cluster.key");
    try {
      java.nio.file.Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
      java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  private static List<String> metricsFlag() {
    return List.of("--metrics-port", String.valueOf(ExternalProcess.freePort()));
  }

  private static List<String> join(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private void start(String name, String mainClass, List<String> args, List<String> more) {
    List<String> command = new ArrayList<>(List.of(
        javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx192m", "-cp", CLASSPATH, mainClass));
    command.addAll(args);
    command.addAll(more);
    processes.add(ExternalProcess.start(name, command, dir));
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs {@code shoal ARGS…} as its own JVM, as a user would, against this cluster. */
  /** Waits until every node of this cluster is Ready, failing early if a process died. */
  void awaitReadyNodes(java.time.Duration timeout) {
    org.awaitility.Awaitility.await().atMost(timeout).until(() -> {
      assertAlive();
      Commands.Result nodes = shoal("node", "ls");
      return nodes.ok() && nodes.stdout().split(" Ready ", -1).length - 1 == nodeAddrs.size();
    });
  }

  /** Runs {@code shoal ARGS…} and returns its output; fails with the cluster's logs if it fails. */
  String succeed(String... args) {
    return succeeded(shoal(args), args).stdout();
  }

  /** Fails with the output and every process's log tail unless {@code result} succeeded. */
  Commands.Result succeeded(Commands.Result result, String... args) {
    if (!result.ok()) {
      throw new AssertionError("shoal " + String.join(" ", args) + " failed (" + result.exitCode() + "):\n"
          + result.stdout() + result.stderr() + "\ncluster logs:\n" + logs());
    }
    return result;
  }

  Commands.Result shoal(String... args) {
    return shoalWith(java.util.Map.of(), null, args);
  }

  /** As {@link #shoal}, with extra environment variables (e.g. DOCKER_CONFIG) and stdin (or null). */
  Commands.Result shoalWith(java.util.Map<String, String> env, String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of("env"));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(List.of(
        javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", CLASSPATH, "io.shoal.cli.ShoalCli",
        "--host", controlAddr));
    command.addAll(List.of(args));
    return stdin == null ? Commands.run(command) : Commands.run(command, stdin);
  }

  /** Fails with every process's log tail when one of them died. */
  void assertAlive() {
    for (ExternalProcess p : processes) {
      if (!p.isAlive()) {
        throw new AssertionError("a cluster process died:\n" + logs());
      }
    }
  }

  String logs() {
    StringBuilder s = new StringBuilder();
    processes.forEach(p -> s.append(p.tail()).append("\n----\n"));
    return s.toString();
  }

  /** The id of service {@code name}; its containers are removed when this cluster closes. */
  String serviceId(String name) {
    String id = idOf(succeed("service", "inspect", name));
    removeOnClose(id);
    return id;
  }

  /** Removes the containers of service {@code id} when this cluster closes. */
  void removeOnClose(String id) {
    serviceIds.add(id);
  }

  /** Stops every process, then removes the containers of the services named to it. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    serviceIds.forEach(id -> docker.removeContainers("io.shoal.service.id=" + id));
  }

  /** The id in {@code shoal service inspect}'s JSON. */
  static String idOf(String inspectJson) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([a-z0-9]+)\"").matcher(inspectJson);
    if (!m.find()) {
      throw new AssertionError("no id in " + inspectJson);
    }
    return m.group(1);
  }
}
