package io.shoal.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real etcd (Debian's {@code etcd}), started once per test JVM on free loopback ports and
 * stopped when the JVM exits. Each test gets its own key root through {@link EtcdTestCluster},
 * so tests never see each other's keys.
 *
 * <pre>{@code
 * @ExtendWith(EtcdExtension.class)
 * class StoreIT {
 *   @Test void works(EtcdTestCluster etcd) { EtcdStore store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot()); }
 * }
 * }</pre>
 */
public final class EtcdExtension implements ParameterResolver {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static EtcdTestCluster cluster;

  /** etcd keeps this much history; tests see compaction happen as a long-running cluster does. */
  public static final String COMPACTION_RETENTION = "5s";

  /** The endpoints and a root generator; use {@link #newRoot()} once per test. */
  public record EtcdTestCluster(String endpoints) {
    public String newRoot() {
      return "/shoal-test/" + ProcessHandle.current().pid() + "-" + ROOTS.incrementAndGet() + "/";
    }
  }

  public static synchronized EtcdTestCluster cluster() {
    if (cluster == null) {
      cluster = start("127.0.0.1");
    }
    return cluster;
  }

  /**
   * Starts another etcd, listening on {@code host} (e.g. a lab's bridge address, for processes
   * in other network namespaces), on free ports; it stops when the JVM exits.
   */
  public static EtcdTestCluster start(String host) {
    return new EtcdTestCluster(startOwn(host).endpoints());
  }

  /**
   * As {@link #start}, with its process at hand: for tests that stop or freeze etcd. Stops when
   * closed, or when the JVM exits.
   */
  public static OwnEtcd startOwn(String host) {
    int client = ExternalProcess.freePort();
    int peer = ExternalProcess.freePort();
    var dir = ExternalProcess.tempDir("shoal-etcd");
    String clientUrl = "http://" + host + ":" + client;
    String peerUrl = "http://" + host + ":" + peer;
    ExternalProcess process = ExternalProcess.start("etcd", List.of(
            "etcd", "--name", "test", "--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "test=" + peerUrl, "--log-level", "warn",
            // As deploy/dev.sh runs it, with a short window: history older than this goes.
            "--auto-compaction-mode", "periodic", "--auto-compaction-retention", COMPACTION_RETENTION), dir)
        .awaitReady(Duration.ofSeconds(30), () -> ExternalProcess.canConnect(host, client));
    return new OwnEtcd(clientUrl, process);
  }

  /**
   * Starts an etcd that speaks only mutual TLS, as deploy/dev.sh runs it: https on {@code host},
   * presenting {@code serverCertDir}'s cert.pem and requiring client certificates issued by its
   * ca.pem ({@code --client-cert-auth}); it stops when closed, or when the JVM exits.
   */
  public static OwnEtcd startTls(String host, Path serverCertDir) {
    int client = ExternalProcess.freePort();
    int peer = ExternalProcess.freePort();
    var dir = ExternalProcess.tempDir("shoal-etcd-tls");
    String clientUrl = "https://" + host + ":" + client;
    String peerUrl = "http://" + host + ":" + peer;
    ExternalProcess process = ExternalProcess.start("etcd-tls", List.of(
            "etcd", "--name", "test", "--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "test=" + peerUrl, "--log-level", "warn",
            "--client-cert-auth", "--trusted-ca-file", serverCertDir.resolve("ca.pem").toString(),
            "--cert-file", serverCertDir.resolve("cert.pem").toString(),
            "--key-file", serverCertDir.resolve("key.pem").toString(),
            "--auto-compaction-mode", "periodic", "--auto-compaction-retention", COMPACTION_RETENTION), dir)
        .awaitReady(Duration.ofSeconds(30), () -> ExternalProcess.canConnect(host, client));
    return new OwnEtcd(clientUrl, process);
  }

  /** An etcd of one test's (or one cluster's) own; {@link #close} stops it. */
  public record OwnEtcd(String endpoints, ExternalProcess process) implements AutoCloseable {
    /** Stops etcd without ending it (SIGSTOP): clients see it silent, as a hung or cut-off member. */
    public void freeze() {
      signal("STOP");
    }

    /** Lets a frozen etcd go on (SIGCONT). */
    public void thaw() {
      signal("CONT");
    }

    private void signal(String signal) {
      Commands.run(List.of("kill", "-" + signal, String.valueOf(process.pid()))).orThrow();
    }

    /** Thaws it first, if frozen: a stopped process does not end on SIGTERM. */
    @Override
    public void close() {
      if (process.isAlive()) {
        thaw();
      }
      process.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == EtcdTestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return cluster();
  }
}
