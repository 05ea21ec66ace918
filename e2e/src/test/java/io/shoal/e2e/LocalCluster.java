package io.shoal.e2e;

import io.shoal.common.pki.CertDirectory;
import io.shoal.testing.Commands;
import io.shoal.testing.EtcdMembers;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.Lab;
import io.shoal.testing.Lab.Host;
import io.shoal.testing.RegistryTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A whole Shoal cluster of separate JVMs on a lab of hosts (issue #10), as deploy/dev.sh runs it:
 * registry, control, scheduler and dispatcher in the root namespace, listening on the lab's
 * bridge address, and on every host its own node (named as the host: h1, h2, ...): an agent on
 * the host's dockerd and a mesh-proxy, both inside the host's network namespace on its address.
 * Each cluster has its own CA, etcd (mutual TLS only, on the bridge) and ports, so clusters run
 * one after another on one lab. Its certificates are made as deploy/dev.sh makes them, with
 * {@code shoal-control ca init} and {@code ca issue}: every part presents its own, the CLI
 * ({@link #shoal}) an admin's; agents join with the worker token, as a user's would, and go by
 * the node id in the certificate they get.
 */
final class LocalCluster implements AutoCloseable {
  final Lab lab;
  final List<Host> hosts;
  final String controlAddr;
  /** The first dispatcher; {@link #dispatcherAddrs} has them all. */
  final String dispatcherAddr;
  final List<String> dispatcherAddrs;
  final String registryAddr;
  /** The scheduler's gRPC address; in the leader election it is ADDRESS/PID. */
  final String schedulerAddr;
  private final List<ExternalProcess> processes = new ArrayList<>();
  private final Map<String, ExternalProcess> agents = new HashMap<>();
  private final Map<String, List<String>> agentArgs = new HashMap<>();
  /** The command each part was started with, to start it again ({@link #supervise}, {@link #restartPart}). */
  private final Map<String, List<String>> commands = new HashMap<>();
  private final Set<String> serviceIds = new LinkedHashSet<>();
  private final Path dir = ExternalProcess.tempDir("shoal-e2e");
  /** Every {@link #shoal} call goes through bin/shoal's launcher to this cluster's CLI daemon. */
  private final CliDaemonProcess cli = new CliDaemonProcess(dir.resolve("cli.sock"), 600);
  private final DnsUpstream dns;
  /** The cluster's etcd: one member, or several for tests that kill members ({@link #etcdMembers()}). */
  private final EtcdMembers etcd;
  private final List<String> etcdFlags;
  /** Starts each part: a JVM on the test's classpath, or a launcher of the release archive. */
  private final PartLauncher launcher;
  /** Flags every part gets besides its own. */
  private final List<String> everyPart;
  /** Flags control gets besides its own (e.g. --web-listen). */
  private final List<String> controlOnly;
  /** Each part's /metrics port, by its name (control, mesh-HOST, ...), on its gRPC host. */
  final Map<String, Integer> metricsPorts = new java.util.concurrent.ConcurrentHashMap<>();
  /** Certificate directories: ca (the CA), etcd, control, ..., cli, mesh-HOST (agents join: STATE/certs). */
  final Path pki = dir.resolve("pki");

  /** A cluster with a node on every host of {@code lab}. */
  LocalCluster(Lab lab, RegistryTestServer... registries) {
    this(lab, lab.hosts(), registries);
  }

  /**
   * A cluster with a node on each of {@code hosts}; the registry service speaks plain HTTP to
   * {@code registries} (as the hosts reach them: {@link Lab#registry}), as the hosts' engines do.
   */
  LocalCluster(Lab lab, List<Host> hosts, RegistryTestServer... registries) {
    this(lab, hosts, 1, registries);
  }

  /**
   * As above, with {@code dispatchers} dispatcher processes ("dispatcher", "dispatcher-2", …),
   * all of which every agent is given (`--dispatcher a,b`).
   */
  LocalCluster(Lab lab, List<Host> hosts, int dispatchers, RegistryTestServer... registries) {
    this(lab, hosts, dispatchers, List.of(), registries);
  }

  /**
   * As above, every part (control plane, agents, mesh-proxies) started with {@code everyPart}'s
   * flags too, e.g. {@code --trace-endpoint URL}.
   */
  LocalCluster(Lab lab, List<Host> hosts, int dispatchers, List<String> everyPart, RegistryTestServer... registries) {
    this(lab, hosts, dispatchers, everyPart, List.of(), registries);
  }

  /** As above, control started with {@code controlOnly}'s flags too (e.g. {@code --web-listen}). */
  LocalCluster(Lab lab, List<Host> hosts, int dispatchers, List<String> everyPart, List<String> controlOnly,
      RegistryTestServer... registries) {
    this(PartLauncher.classpath(), lab, hosts, 1, dispatchers, everyPart, controlOnly, registries);
  }

  /** A cluster on {@code hosts} whose etcd has {@code members} members; every part is given all of them. */
  static LocalCluster onEtcdMembers(Lab lab, List<Host> hosts, int members, RegistryTestServer... registries) {
    return new LocalCluster(PartLauncher.classpath(), lab, hosts, members, 1, List.of(), List.of(), registries);
  }

  /** As above, every part started by {@code launcher} (e.g. the release archive's launchers). */
  LocalCluster(PartLauncher launcher, Lab lab, List<Host> hosts, int dispatchers, List<String> everyPart,
      List<String> controlOnly, RegistryTestServer... registries) {
    this(launcher, lab, hosts, 1, dispatchers, everyPart, controlOnly, registries);
  }

  private LocalCluster(PartLauncher launcher, Lab lab, List<Host> hosts, int etcdMembers, int dispatchers,
      List<String> everyPart, List<String> controlOnly, RegistryTestServer... registries) {
    this.launcher = launcher;
    this.everyPart = List.copyOf(everyPart);
    this.controlOnly = List.copyOf(controlOnly);
    this.lab = lab;
    this.hosts = List.copyOf(hosts);
    String bridge = lab.bridgeAddress();
    Path clusterKey = clusterKeyFile();
    makePki(clusterKey, bridge);
    etcd = EtcdMembers.startTls(bridge, pki.resolve("etcd"), etcdMembers);
    etcdFlags = List.of("--etcd-endpoints", etcd.endpoints(), "--etcd-prefix", "/shoal/v1/");
    String registry = bridge + ":" + ExternalProcess.freePort();
    controlAddr = bridge + ":" + ExternalProcess.freePort();
    List<String> dispatcherList = new ArrayList<>();
    for (int i = 0; i < dispatchers; i++) {
      dispatcherList.add(bridge + ":" + ExternalProcess.freePort());
    }
    dispatcherAddrs = List.copyOf(dispatcherList);
    dispatcherAddr = dispatcherAddrs.get(0);
    registryAddr = registry;
    String scheduler = bridge + ":" + ExternalProcess.freePort();
    schedulerAddr = scheduler;
    dns = new DnsUpstream(bridge);

    // The registry service reads credentials and sessions from the cluster's etcd; its key
    // seals registry credentials (--with-registry-auth). Every part renews its certificate at
    // control (--manager), as dev.sh starts them.
    List<String> registryFlags = new ArrayList<>(List.of(
        "--listen", registry, "--cluster-key-file", clusterKey.toString(), "--cert-dir", certs("registry"),
        "--manager", controlAddr));
    if (registries.length > 0) {
      registryFlags.addAll(List.of("--insecure-registry",
          Arrays.stream(registries).map(RegistryTestServer::address).collect(Collectors.joining(","))));
    }
    start("registry", "io.shoal.registry.RegistryMain", join(etcdFlags, registryFlags));
    start("control", "io.shoal.control.ControlMain",
        join(join(etcdFlags, List.of("--listen", controlAddr, "--registry", registry,
            "--cluster-key-file", clusterKey.toString(), "--pki-dir", certs("ca"), "--cert-dir", certs("control"),
            "--manager", controlAddr)), this.controlOnly));
    start("scheduler", "io.shoal.scheduler.SchedulerMain",
        join(etcdFlags, List.of("--listen", scheduler, "--cert-dir", certs("scheduler"), "--manager", controlAddr)));
    // The dispatcher opens secrets for the nodes whose tasks use them.
    for (int i = 0; i < dispatchers; i++) {
      start(i == 0 ? "dispatcher" : "dispatcher-" + (i + 1), "io.shoal.dispatcher.DispatcherMain",
          join(etcdFlags, List.of("--listen", dispatcherAddrs.get(i), "--cert-dir", certs("dispatcher"),
              "--cluster-key-file", clusterKey.toString(), "--manager", controlAddr)));
    }
    // Agents join as a user's would: with the worker token that `cluster join-token` prints.
    Path token = tokenFile("worker");
    for (Host host : this.hosts) {
      String addr = host.address();
      agentArgs.put(host.name(), List.of(
          "--hostname", host.name(), "--addr", addr, "--dispatcher", String.join(",", dispatcherAddrs),
          "--docker-host", host.dockerHost(), "--state-dir", dir.resolve(host.name()).toString(),
          "--registry", registry, "--listen", addr + ":" + ExternalProcess.freePort(),
          "--dns-upstream", dns.address(), "--join-token-file", token.toString(), "--manager", controlAddr));
      startAgent(host);
      startOn(host, "mesh-" + host.name(), "io.shoal.meshproxy.MeshProxyMain",
          join(etcdFlags, List.of("--addr", addr, "--listen", addr + ":" + ExternalProcess.freePort(),
              "--cert-dir", certs("mesh-" + host.name()), "--manager", controlAddr)));
    }
  }

  /**
   * The cluster's CA and every part's certificate, made with {@code shoal-control ca} as
   * deploy/dev.sh makes them (in this JVM: the command, without a JVM start per certificate).
   */
  private void makePki(Path clusterKey, String bridge) {
    ca("init");
    issue("etcd", "manager", "etcd", "--ip", "127.0.0.1", "--ip", bridge);
    for (String part : List.of("control", "registry", "scheduler", "dispatcher")) {
      issue(part, "manager", part, "--ip", bridge);
    }
    issue("cli", "manager", "admin");
    // Prometheus reads every part's /metrics, which asks for a manager's certificate.
    issue("prometheus", "manager", "prometheus");
    for (Host host : hosts) {
      // mesh-proxies read etcd, which knows no narrower role than a manager's certificate
      issue("mesh-" + host.name(), "manager", "mesh-" + host.name());
    }
  }

  private void issue(String dir, String role, String name, String... flags) {
    List<String> args = new ArrayList<>(List.of("issue", "--role", role, "--name", name, "--out", certs(dir)));
    args.addAll(List.of(flags));
    ca(args.toArray(String[]::new));
  }

  private void ca(String... args) {
    List<String> all = new ArrayList<>(List.of("ca"));
    all.addAll(List.of(args));
    all.addAll(List.of("--pki-dir", certs("ca"), "--cluster-key-file", dir.resolve("cluster.key").toString()));
    java.io.StringWriter err = new java.io.StringWriter();
    int code = new picocli.CommandLine(new io.shoal.control.ControlMain())
        .setErr(new java.io.PrintWriter(err, true)).setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()))
        .execute(all.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("shoal-control " + String.join(" ", all) + " failed: " + err);
    }
  }

  /** The cluster key file, which seals the CA's key in {@code pki/ca}. */
  Path clusterKey() {
    return dir.resolve("cluster.key");
  }

  /** The certificate directory {@code name} of this cluster's pki. */
  String certs(String name) {
    return pki.resolve(name).toString();
  }

  /**
   * Every key and value this cluster holds in etcd, as text (ISO-8859-1, so any byte sequence
   * survives), read with control's certificate: for tests that a secret is stored only sealed.
   */
  String etcdDump() {
    return readStore(store -> {
      StringBuilder dump = new StringBuilder();
      store.listRaw("").forEach(kv -> dump.append(kv.getKey().toString(java.nio.charset.StandardCharsets.ISO_8859_1))
          .append('=').append(kv.getValue().toString(java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n'));
      return dump.toString();
    });
  }

  /** Every key in the cluster's etcd, one per line. */
  String etcdKeys() {
    return readStore(store -> {
      StringBuilder keys = new StringBuilder();
      store.listRaw("").forEach(kv -> keys.append(kv.getKey().toString(java.nio.charset.StandardCharsets.UTF_8)).append('\n'));
      return keys.toString();
    });
  }

  /** {@code read} over a connection to this cluster's etcd with control's certificate, closed after. */
  private <T> T readStore(java.util.function.Function<io.shoal.common.store.EtcdStore, T> read) {
    try (io.shoal.common.store.EtcdStore store = io.shoal.common.store.EtcdStore.connect(etcd.endpoints(), "/shoal/v1/",
        java.util.Optional.of(Path.of(certs("control"))))) {
      return read.apply(store);
    }
  }

  /**
   * Where control serves /metrics ({@code host:port}), as it registered it in etcd: the one
   * address Prometheus is given; every other target it learns from control.
   */
  String controlMetrics() {
    String[] found = new String[1];
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
      List<String> control = readStore(store -> io.shoal.common.store.MetricsEndpoints.list(store))
          .getOrDefault("control", List.of());
      found[0] = control.isEmpty() ? null : control.get(0);
      return found[0] != null;
    });
    return found[0];
  }

  /**
   * deploy/prometheus's config for this cluster: targets from control, its rules, a scrape every
   * {@code interval} (e.g. "1s").
   */
  String prometheusConfig(String interval) {
    Path deploy = Path.of("").toAbsolutePath().getParent().resolve("deploy/prometheus");
    try {
      return java.nio.file.Files.readString(deploy.resolve("prometheus.yml.template"))
          .replace("@INTERVAL@", interval).replace("@REFRESH@", interval)
          .replace("@RULES@", deploy.resolve("rules.yml").toString())
          .replace("@CERTS@", certs("prometheus")).replace("@CONTROL_METRICS@", controlMetrics());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The cluster's etcd members, to kill and restart. */
  EtcdMembers etcdMembers() {
    return etcd;
  }

  /** The node id of {@code host}'s agent: the common name of the certificate it joined with. */
  String nodeId(Host host) {
    return new CertDirectory(agentCerts(host)).read().credentials().identity().nodeId();
  }

  /** Where {@code host}'s agent keeps the certificate it joined with (its state dir). */
  Path agentCerts(Host host) {
    return dir.resolve(host.name()).resolve("certs");
  }

  /**
   * The join token of {@code role} ({@code worker}, {@code manager}), once control answers, in a
   * file of its own (0600), as a part's --join-token-file reads it.
   */
  Path tokenFile(String role) {
    String[] token = new String[1];
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
      Commands.Result r = shoal("cluster", "join-token", "-q", role);
      token[0] = r.stdout().strip();
      return r.ok();
    });
    Path file = dir.resolve(role + ".token");
    try {
      java.nio.file.Files.writeString(file, token[0] + "\n");
      java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  /** The node of this cluster on the host named {@code name}. */
  Host host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node on host " + name));
  }

  /** SIGKILL to the cluster's part named {@code name} ("dispatcher-2", …), as a crash would. */
  void killPart(String name) {
    ExternalProcess part = processes.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no part named " + name));
    part.kill();
    processes.remove(part); // dead on purpose: not a failure of the cluster
  }

  /**
   * Starts part {@code name} again after {@link #killPart} (or {@link #killAgent}), with the
   * command it first ran with: the same flags, ports and state, as a supervisor would.
   */
  void restartPart(String name) {
    List<String> command = commands.get(name);
    if (command == null) {
      throw new IllegalArgumentException("no part named " + name);
    }
    if (processes.stream().anyMatch(p -> p.name().equals(name) && p.isAlive())) {
      throw new IllegalStateException(name + " still runs; kill it first");
    }
    processes.removeIf(p -> p.name().equals(name));
    ExternalProcess part = ExternalProcess.start(name, command, dir);
    processes.add(part);
    if (name.startsWith("agent-")) {
      agents.put(name.substring("agent-".length()), part);
    }
  }

  /**
   * Starts one more scheduler, {@code name}, as a part of this cluster (killed and restarted like
   * the others): it waits in the election while the first one leads. Returns its address.
   */
  String startScheduler(String name) {
    String listen = lab.bridgeAddress() + ":" + ExternalProcess.freePort();
    start(name, "io.shoal.scheduler.SchedulerMain",
        join(etcdFlags, List.of("--listen", listen, "--cert-dir", certs("scheduler"), "--manager", controlAddr)));
    return listen;
  }

  /** The scheduler that leads now (ADDRESS/PID), as the election's key in etcd names it. */
  java.util.Optional<String> schedulerLeader() {
    // The key's value is INSTANCE#LEASE.
    return readStore(store -> store.getString(io.shoal.scheduler.leader.LeaderElection.KEY))
        .map(value -> value.contains("#") ? value.substring(0, value.lastIndexOf('#')) : value);
  }

  /** The address of the dispatcher that holds {@code host}'s session now, as etcd records it. */
  java.util.Optional<String> sessionDispatcher(Host host) {
    return readStore(store -> store.get(io.shoal.common.store.Tables.SESSIONS, nodeId(host)))
        .map(s -> s.getDispatcher());
  }

  /** SIGKILL to {@code host}'s agent, as a crash of the host would; its mesh-proxy and engine go on. */
  void killAgent(Host host) {
    ExternalProcess agent = agents.remove(host.name());
    agent.kill();
    processes.remove(agent); // dead on purpose: not a failure of the cluster
  }

  /** Starts {@code host}'s agent (again, after {@link #killAgent}): the same node, flags and state. */
  void startAgent(Host host) {
    agents.put(host.name(), startOn(host, "agent-" + host.name(), "io.shoal.agent.NodeAgentMain",
        agentArgs.get(host.name())));
  }

  /** A container of a service on a host's engine. */
  record Container(Host host, String id) {
    String inspect(String format) {
      return host.engine().inspect(format, id);
    }

    Commands.Result tryInspect(String format) {
      return host.engine().tryDocker("inspect", "--format", format, id);
    }
  }

  /** A row of {@code service ps}: a task, its slot, its node's hostname, desired and current state. */
  record TaskRow(String id, int slot, String node, String desired, String current) {
    boolean running() {
      return desired.equals("Running") && current.equals("Running");
    }
  }

  private static final Pattern PS_ROW = Pattern.compile(
      "(?m)^(\\S+)\\s+(?:\\\\_\\s+)?\\S+\\.(\\d+)\\s+\\S+\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");

  /** The tasks of a replicated service, as {@code service ps --no-trunc} shows them. */
  List<TaskRow> tasks(String service) {
    Matcher m = PS_ROW.matcher(succeed("service", "ps", "--no-trunc", service));
    List<TaskRow> rows = new ArrayList<>();
    while (m.find()) {
      rows.add(new TaskRow(m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4), m.group(5)));
    }
    return rows;
  }

  /** The STATUS that {@code node ls} shows for the node on host {@code name} (Ready, Down, ...). */
  String nodeStatus(String name) {
    Matcher m = Pattern.compile("(?m)^\\S+\\s+" + name + "\\s+(\\S+)")
        .matcher(succeed("node", "ls"));
    return m.find() ? m.group(1) : "";
  }

  /** Every container (running or not) of service {@code serviceId}, on every host's engine. */
  List<Container> containers(String serviceId) {
    List<Container> all = new ArrayList<>();
    for (Host host : hosts) {
      host.engine().containerIds("io.shoal.service.id=" + serviceId).forEach(id -> all.add(new Container(host, id)));
    }
    return all;
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

  private static List<String> join(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Starts one more control-plane part ({@code mainClass}) in the root namespace, on this
   * cluster's etcd, with {@code args}; its log is {@link #log}{@code (name)}. The caller stops it:
   * it is not one of the cluster's parts, so its exit is no failure of the cluster.
   */
  ExternalProcess startExtraPart(String name, String mainClass, List<String> args) {
    return ExternalProcess.start(name, java(name, mainClass, join(etcdFlags, args)), dir);
  }

  /** Starts a service in the root namespace. */
  private void start(String name, String mainClass, List<String> args) {
    List<String> command = java(name, mainClass, args);
    commands.put(name, command);
    processes.add(ExternalProcess.start(name, command, dir));
  }

  /**
   * Stops the root-namespace part {@code name} ("control", "scheduler", ...) and starts it again
   * with the same command under deploy/supervise.sh, as deploy/dev.sh runs every part: a crash of
   * it is then repaired, not a failure of the cluster. Its supervisor's state (child.pid,
   * restarts, last) is in {@link #supervisorState}; its log stays {@link #log}{@code (name)}.
   */
  void supervise(String name) {
    ExternalProcess plain = processes.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no part named " + name));
    plain.close();
    processes.remove(plain);
    Path script = Path.of("").toAbsolutePath().getParent().resolve("deploy/supervise.sh");
    List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--name", name,
        "--state-dir", supervisorState(name).toString(), "--"));
    command.addAll(commands.get(name));
    processes.add(ExternalProcess.start(name, command, dir));
  }

  /** The state directory of {@code name}'s supervisor ({@link #supervise}). */
  Path supervisorState(String name) {
    return dir.resolve(name + ".sv");
  }

  /** Starts a service inside {@code host}'s network namespace. */
  private ExternalProcess startOn(Host host, String name, String mainClass, List<String> args) {
    List<String> command = host.command(java(name, mainClass, args));
    commands.put(name, command);
    ExternalProcess p = ExternalProcess.start(name, command, dir);
    processes.add(p);
    return p;
  }

  /** {@code LAUNCHER(MAIN) ARGS… EVERY-PART… --metrics-port FREE}: metrics bind on the service's gRPC host. */
  private List<String> java(String name, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>(launcher.command(mainClass));
    command.addAll(args);
    command.addAll(everyPart);
    int metricsPort = ExternalProcess.freePort();
    metricsPorts.put(name, metricsPort);
    command.addAll(List.of("--metrics-port", String.valueOf(metricsPort)));
    return command;
  }

  /** Waits until every node of this cluster is Ready, failing early if a process died. */
  void awaitReadyNodes(java.time.Duration timeout) {
    org.awaitility.Awaitility.await().atMost(timeout).until(() -> {
      assertAlive();
      Commands.Result nodes = shoal("node", "ls");
      return nodes.ok() && nodes.stdout().split(" Ready ", -1).length - 1 == hosts.size();
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

  /**
   * Runs {@code shoal ARGS…} against this cluster through its CLI daemon, as bin/shoal does (the
   * launcher's call made in this JVM: {@link CliDaemonProcess#call}).
   */
  Commands.Result shoal(String... args) {
    return shoalWith(java.util.Map.of(), null, args);
  }

  /** As {@link #shoal}, with extra environment variables (e.g. DOCKER_CONFIG) and stdin (or null). */
  Commands.Result shoalWith(java.util.Map<String, String> env, String stdin, String... args) {
    // Docker's stability wait after convergence is 5 s; the tests watch for 1 s, so that dozens
    // of creates do not cost minutes (the CLI's tests cover the wait itself).
    java.util.Map<String, String> environment = new java.util.HashMap<>(env);
    environment.putIfAbsent("SHOAL_CERT_PATH", certs("cli"));
    environment.putIfAbsent("SHOAL_VERIFY_PERIOD", "1s");
    List<String> cliArgs = new ArrayList<>(List.of("--host", controlAddr));
    cliArgs.addAll(List.of(args));
    return cli.call(cliArgs, environment, stdin);
  }

  /**
   * Starts {@code shoal ARGS…} (as {@link #shoal}) as a process that goes on (`service logs -f`),
   * its stdout and stderr in {@link #log}{@code (name)}; the caller closes it.
   */
  ExternalProcess startShoal(String name, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "SHOAL_CERT_PATH=" + certs("cli")));
    List<String> cliArgs = new ArrayList<>(List.of("--host", controlAddr));
    cliArgs.addAll(List.of(args));
    command.addAll(cli.command(PartLauncher.javaBin(), cliArgs));
    return ExternalProcess.start(name, command, dir);
  }

  /** Fails with every process's log tail when one of them died. */
  void assertAlive() {
    for (ExternalProcess p : processes) {
      if (!p.isAlive()) {
        throw new AssertionError("a cluster process died:\n" + logs());
      }
    }
  }

  /** The whole log of the process named {@code name} ("dispatcher", "agent-h1", ...). */
  String log(String name) {
    try {
      return java.nio.file.Files.readString(dir.resolve(name + ".log"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
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

  /**
   * Removes every service, network, secret and config, and waits until no task container runs
   * and no overlay is left on any host: the next test class on a shared cluster
   * ({@link SharedClusterExtension}) finds it as new.
   */
  void clear() {
    // Services first: networks, secrets and configs in use cannot go.
    for (String kind : List.of("service", "network", "secret", "config")) {
      List<String> ids = succeed(kind, "ls", "-q").lines().filter(l -> !l.isBlank()).toList();
      if (!ids.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of(kind, "rm"));
        rm.addAll(ids);
        succeed(rm.toArray(String[]::new));
      }
    }
    org.awaitility.Awaitility.await("every task container stopped and every overlay gone")
        .atMost(java.time.Duration.ofSeconds(90)).untilAsserted(() -> {
          for (Host host : hosts) {
            String running = host.engine().docker("ps", "--filter", "label=io.shoal.task.id", "--format",
                "{{.ID}} {{.Label \"io.shoal.service.name\"}} {{.Label \"io.shoal.task.id\"}} {{.Status}}");
            org.assertj.core.api.Assertions.assertThat(running)
                .as(() -> "task containers running on " + host.name() + " after every service was removed; its agent:\n"
                    + tail(log("agent-" + host.name()), 40) + "\nthe scheduler:\n" + tail(log("scheduler"), 40)
                    + "\nthe dispatcher:\n" + tail(log("dispatcher"), 40) + "\netcd's keys:\n" + etcdKeys())
                .isBlank();
            org.assertj.core.api.Assertions.assertThat(overlayDevices(host)).as("overlay devices on %s", host.name()).isEmpty();
            org.assertj.core.api.Assertions.assertThat(overlayNetworks(host)).as("overlays on %s", host.name()).isEmpty();
          }
        });
    for (Host host : hosts) {
      host.engine().removeContainers("io.shoal.task.id");
    }
    serviceIds.clear();
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Whether every process of the cluster still runs. */
  boolean alive() {
    return processes.stream().allMatch(ExternalProcess::isAlive);
  }

  /** Stops every process, then removes the containers of the services named to it, on every host. */
  @Override
  public void close() {
    cli.stop();
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    etcd.close();
    dns.close();
    for (Host host : hosts) {
      serviceIds.forEach(id -> host.engine().removeContainers("io.shoal.service.id=" + id));
      // Clusters run one after another on a lab: every task container left is this cluster's.
      host.engine().removeContainers("io.shoal.task.id");
      removeOverlays(host);
    }
    // The agents stopped with their tasks' secret and config tmpfs mounted (a restarted agent
    // would use them again); nothing uses them now.
    unmountUnder(dir);
    ExternalProcess.deleteTree(dir);
  }

  /** Unmounts every mount below {@code root} (deepest first), as /proc/self/mountinfo lists them. */
  private static void unmountUnder(Path root) {
    List<String> mounts;
    try {
      mounts = java.nio.file.Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" ")[4]).filter(point -> point.startsWith(root + "/"))
          .sorted(java.util.Comparator.reverseOrder()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (String point : mounts) {
      Commands.run(List.of("umount", point)).orThrow();
    }
  }

  /** What the agents' overlays made on {@code host} and left when they stopped. */
  static void removeOverlays(Host host) {
    for (String network : overlayNetworks(host)) {
      host.engine().tryDocker("network", "rm", network);
    }
    for (String device : overlayDevices(host)) {
      Commands.run(List.of("ip", "-n", host.netns(), "link", "del", device));
    }
  }

  /** The engine networks of overlays on {@code host}. */
  static List<String> overlayNetworks(Host host) {
    String out = host.engine().docker("network", "ls", "--filter", "label=io.shoal.network.id",
        "--format", "{{.Name}}");
    return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** The overlay's links (bridges shl*, VXLAN devices shv*) on {@code host}. */
  static List<String> overlayDevices(Host host) {
    String out = Commands.run(List.of("ip", "-n", host.netns(), "-o", "link", "show")).orThrow();
    return out.lines().map(l -> l.split(":\\s+", 3)).filter(f -> f.length >= 2)
        .map(f -> f[1].split("@")[0]).filter(n -> n.startsWith("shv") || n.startsWith("shl")).toList();
  }

  /**
   * One GET through {@code host}'s mesh: the hostname of the task that answered, or nothing
   * when none did (a backend cut off makes the mesh try the next, which may take its connect
   * timeout).
   */
  static java.util.Set<String> ask(Host host, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(host.address(), port), 2000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      int body = response.indexOf("\r\n\r\n");
      if (!response.contains(" 200 ") || body < 0) {
        return java.util.Set.of();
      }
      return java.util.Set.of(response.substring(body + 4).strip());
    } catch (java.io.IOException e) {
      return java.util.Set.of();
    }
  }

  /** The id in {@code shoal service inspect}'s JSON. */
  static String idOf(String inspectJson) {
    Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([a-z0-9]+)\"").matcher(inspectJson);
    if (!m.find()) {
      throw new AssertionError("no id in " + inspectJson);
    }
    return m.group(1);
  }
}
