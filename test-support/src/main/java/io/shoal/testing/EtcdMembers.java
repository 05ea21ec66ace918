package io.shoal.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An etcd cluster of several members on one host, mutual TLS for clients as deploy/dev.sh runs
 * etcd, for tests that kill members: each member its own ports and data directory, so a killed
 * one comes back with its data and rejoins. Stops when closed, or when the JVM exits.
 */
public final class EtcdMembers implements AutoCloseable {
  private final String host;
  private final Path certDir;
  private final List<Member> members;

  private record Member(String name, int client, int peer, Path dir, ExternalProcess[] process) {
    String clientUrl(String host) {
      return "https://" + host + ":" + client;
    }

    String peerUrl(String host) {
      return "http://" + host + ":" + peer;
    }
  }

  private EtcdMembers(String host, Path certDir, List<Member> members) {
    this.host = host;
    this.certDir = certDir;
    this.members = members;
  }

  /** Starts {@code n} members on {@code host} presenting {@code serverCertDir}'s certificate, and waits for each. */
  public static EtcdMembers startTls(String host, Path serverCertDir, int n) {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(new Member("m" + i, ExternalProcess.freePort(), ExternalProcess.freePort(),
          ExternalProcess.tempDir("shoal-etcd-m" + i), new ExternalProcess[1]));
    }
    EtcdMembers cluster = new EtcdMembers(host, serverCertDir, List.copyOf(members));
    // All at once: a member waits for the others to elect a leader.
    for (int i = 0; i < n; i++) {
      cluster.launch(i);
    }
    for (int i = 0; i < n; i++) {
      cluster.awaitServing(i);
    }
    return cluster;
  }

  /** Every member's client URL, comma-separated, as --etcd-endpoints takes them. */
  public String endpoints() {
    return members.stream().map(m -> m.clientUrl(host)).collect(Collectors.joining(","));
  }

  public int size() {
    return members.size();
  }

  /** SIGKILLs member {@code i}, as a crash or a lost machine would. */
  public void kill(int i) {
    members.get(i).process()[0].kill();
  }

  /** Starts member {@code i} again on its data directory; it rejoins the others. */
  public void restart(int i) {
    launch(i);
    awaitServing(i);
  }

  private void launch(int i) {
    Member m = members.get(i);
    String cluster = members.stream().map(o -> o.name() + "=" + o.peerUrl(host)).collect(Collectors.joining(","));
    m.process()[0] = ExternalProcess.start("etcd-" + m.name(), List.of(
        "etcd", "--name", m.name(), "--data-dir", m.dir().resolve("data").toString(),
        "--listen-client-urls", m.clientUrl(host), "--advertise-client-urls", m.clientUrl(host),
        "--listen-peer-urls", m.peerUrl(host), "--initial-advertise-peer-urls", m.peerUrl(host),
        "--initial-cluster", cluster, "--initial-cluster-token", "shoal-test-" + members.get(0).client(),
        "--log-level", "warn",
        "--client-cert-auth", "--trusted-ca-file", certDir.resolve("ca.pem").toString(),
        "--cert-file", certDir.resolve("cert.pem").toString(), "--key-file", certDir.resolve("key.pem").toString(),
        "--auto-compaction-mode", "periodic", "--auto-compaction-retention", EtcdExtension.COMPACTION_RETENTION),
        m.dir());
  }

  private void awaitServing(int i) {
    Member m = members.get(i);
    m.process()[0].awaitReady(Duration.ofSeconds(60), () -> ExternalProcess.canConnect(host, m.client()));
  }

  @Override
  public void close() {
    for (Member m : members) {
      if (m.process()[0] != null) {
        m.process()[0].close();
      }
    }
    for (Member m : members) {
      ExternalProcess.deleteTree(m.dir());
    }
  }
}
