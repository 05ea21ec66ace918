package io.shoal.common.store;

import io.shoal.api.v1.Config;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeSession;
import io.shoal.api.v1.Payload;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.RevokedNode;
import io.shoal.api.v1.SealedClusterCa;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.SealedJoinTokens;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.Task;

/**
 * The tables of ARCHITECTURE.md's etcd layout. Each has one writer, named in {@link Writer}
 * (the table in ARCHITECTURE.md says the same, and a test holds the two together).
 */
public final class Tables {
  /** Written by control: spec, previous spec, and the update status a new spec starts with. */
  public static final Table<Service> SERVICES = new Table<>("services", Service.getDefaultInstance());

  /** {@code service_status/<service id>}: the scheduler's rollout status and reconcile error. */
  public static final Table<ServiceStatus> SERVICE_STATUS =
      new Table<>("service_status", ServiceStatus.getDefaultInstance());

  /**
   * {@code removed_services/<id>}: a service's last value with the trace context of the call that
   * removed it, written by control in the removal's transaction when that call is traced, on a
   * lease that lapses after {@code REMOVAL_TRACE_SECONDS}: the scheduler's removal of the
   * service's tasks joins the rm's trace with it.
   */
  public static final Table<Service> REMOVED_SERVICES = new Table<>("removed_services", Service.getDefaultInstance());

  /** How long a removed service's record outlives it: as long as a version joins its request's trace. */
  public static final long REMOVAL_TRACE_SECONDS = 600;

  public static final Table<Task> TASKS = new Table<>("tasks", Task.getDefaultInstance());

  /** {@code nodes/<id>}: control's part of a node, its spec. */
  public static final Table<Node> NODES = new Table<>("nodes", Node.getDefaultInstance());

  /** {@code node_registrations/<id>}: the dispatcher's part of a node, description and status. */
  public static final Table<NodeRegistration> NODE_REGISTRATIONS =
      new Table<>("node_registrations", NodeRegistration.getDefaultInstance());

  /** Unique service names: {@code names/services/<name>} holds the service id. */
  public static final Index SERVICE_NAMES = new Index("names/services");

  /** Ingress ports are cluster-wide: {@code ports/<tcp|udp>/<port>} holds the service id. */
  public static final Index INGRESS_PORTS = new Index("ports");

  /** {@code sessions/<node id>}, attached to the session's lease. */
  public static final Table<NodeSession> SESSIONS =
      new Table<>("sessions", NodeSession.getDefaultInstance());

  /**
   * {@code credentials/<service id>}: registry credentials sealed by the registry service, written
   * by control in the same transaction as the service itself.
   */
  public static final Table<SealedCredentials> CREDENTIALS =
      new Table<>("credentials", SealedCredentials.getDefaultInstance());

  /** {@code networks/<id>}: written by control only (`network create`, `network rm`). */
  public static final Table<Network> NETWORKS = new Table<>("networks", Network.getDefaultInstance());

  /** Unique network names: {@code names/networks/<name>} holds the network id. */
  public static final Index NETWORK_NAMES = new Index("names/networks");

  /** Each network's subnet: {@code subnets/<address>/<prefix length>} holds the network id. */
  public static final Index SUBNETS = new Index("subnets");

  /**
   * Each network's addresses in use: {@code addresses/<network id>/<ip>} holds the task or service
   * id that has it. Written by the scheduler in the transaction that gives or takes the address,
   * so no address is handed out twice, even by two leaders' overlapping terms.
   */
  public static final Index ADDRESSES = new Index("addresses");

  /** {@code secrets/<id>}: a secret's metadata, never its data. Written by control only. */
  public static final Table<Secret> SECRETS = new Table<>("secrets", Secret.getDefaultInstance());

  /**
   * {@code secret_data/<secret id>}: a secret's data sealed under the cluster key (the secret's id
   * as associated data), written by control in the secret's create and delete transactions.
   */
  public static final Table<Payload> SECRET_DATA = new Table<>("secret_data", Payload.getDefaultInstance());

  /** Unique secret names: {@code names/secrets/<name>} holds the secret id. */
  public static final Index SECRET_NAMES = new Index("names/secrets");

  /** {@code configs/<id>}: a config's metadata. Written by control only. */
  public static final Table<Config> CONFIGS = new Table<>("configs", Config.getDefaultInstance());

  /**
   * {@code config_data/<config id>}: a config's data as given, apart from its metadata so listings
   * never carry it; written by control in the config's create and delete transactions.
   */
  public static final Table<Payload> CONFIG_DATA = new Table<>("config_data", Payload.getDefaultInstance());

  /** Unique config names: {@code names/configs/<name>} holds the config id. */
  public static final Index CONFIG_NAMES = new Index("names/configs");

  /**
   * {@code allocator/subnets}: a counter every subnet claim bumps in its own transaction, so two
   * concurrent claims of overlapping (not only equal) subnets cannot both commit: etcd compares
   * single keys, not ranges.
   */
  public static final String ALLOCATOR = "allocator";

  /**
   * {@code cluster/<id>}: the cluster's singletons, control's. {@code cluster/ca} holds the root
   * certificate and the CA key sealed under the cluster key; {@code cluster/join_tokens} the two
   * join tokens, sealed too. Both are created in one transaction at control's first start.
   */
  public static final String CLUSTER = "cluster";

  /** {@code cluster/ca}: the cluster CA, its key sealed (one object, id {@code ca}). */
  public static final Table<SealedClusterCa> CLUSTER_CA = new Table<>(CLUSTER, SealedClusterCa.getDefaultInstance());

  /** {@code cluster/join_tokens}: the worker and manager join tokens, sealed (id {@code join_tokens}). */
  public static final Table<SealedJoinTokens> JOIN_TOKENS =
      new Table<>(CLUSTER, SealedJoinTokens.getDefaultInstance());

  /**
   * {@code revoked_nodes/<node id>}: nodes removed by `node rm`, control's; never removed, so a
   * removed node's certificate stays refused until it expires.
   */
  public static final Table<RevokedNode> REVOKED_NODES = new Table<>("revoked_nodes", RevokedNode.getDefaultInstance());

  /** {@code leader/scheduler}, on the leading scheduler's lease, names it and its term. */
  public static final String LEADER = "leader";

  /**
   * {@code metrics_endpoints/<part>/<host:port>}: where a part serves /metrics, on a lease it
   * keeps alive (gone with the process), each part under its own prefix. Control lists them to
   * Prometheus ({@code MetricsEndpoints}); an agent's is in its node's registration instead.
   */
  public static final String METRICS_CONTROL = "metrics_endpoints/control";
  public static final String METRICS_REGISTRY = "metrics_endpoints/registry";
  public static final String METRICS_SCHEDULER = "metrics_endpoints/scheduler";
  public static final String METRICS_DISPATCHER = "metrics_endpoints/dispatcher";
  public static final String METRICS_MESH_PROXY = "metrics_endpoints/mesh-proxy";

  private Tables() {}
}
