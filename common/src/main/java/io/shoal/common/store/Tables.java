package io.shoal.common.store;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeSession;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;

/** The tables of ARCHITECTURE.md's etcd layout. */
public final class Tables {
  public static final Table<Service> SERVICES = new Table<>("services", Service.getDefaultInstance());
  public static final Table<Task> TASKS = new Table<>("tasks", Task.getDefaultInstance());
  public static final Table<Node> NODES = new Table<>("nodes", Node.getDefaultInstance());

  /** Unique service names: {@code names/services/<name>} holds the service id. */
  public static final String SERVICE_NAMES = "names/services";

  /** Ingress ports are cluster-wide: {@code ports/<tcp|udp>/<port>} holds the service id. */
  public static final String INGRESS_PORTS = "ports";

  /** {@code sessions/<node id>}, attached to the session's lease. */
  public static final Table<NodeSession> SESSIONS =
      new Table<>("sessions", NodeSession.getDefaultInstance());

  /**
   * {@code credentials/<service id>}: registry credentials sealed by the registry service, written
   * by control in the same transaction as the service itself.
   */
  public static final Table<SealedCredentials> CREDENTIALS =
      new Table<>("credentials", SealedCredentials.getDefaultInstance());

  private Tables() {}
}
