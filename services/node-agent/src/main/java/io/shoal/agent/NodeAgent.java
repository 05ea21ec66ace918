package io.shoal.agent;

import io.shoal.agent.exec.ContainerEngine;
import io.shoal.agent.session.DispatcherEndpoints;
import io.shoal.agent.session.DispatcherSession;
import io.shoal.agent.worker.TaskManager;
import io.shoal.agent.logs.TaskLogsGrpcService;
import io.shoal.api.v1.TaskLogsServiceGrpc;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.authz.CallPolicy;
import io.shoal.common.server.GrpcServer;
import io.shoal.common.server.ServiceMain;
import io.shoal.common.server.tls.CertificateRenewal;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.telemetry.Telemetry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: its task manager, its dispatcher session, and a gRPC server for health,
 * reflection and task logs. Closing it leaves the containers running; a restarted agent adopts them.
 */
@Singleton
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  private final AgentFlags flags;
  private final LocalNode node;
  private final Telemetry telemetry;
  private final ContainerEngine engine;
  private final TaskManager tasks;
  private final DispatcherSession session;
  private final DispatcherEndpoints dispatchers;
  private final io.shoal.agent.registry.RegistryPullCredentials credentials;
  private final io.shoal.agent.overlay.OverlayPlane overlay;
  private final io.shoal.agent.discovery.DnsServer dns;
  private final ServiceTls tls;
  private final TaskLogsGrpcService logs;
  private GrpcServer grpc;
  private CertificateRenewal renewal;

  @Inject
  NodeAgent(AgentFlags flags, LocalNode node, Telemetry telemetry, ContainerEngine engine, TaskManager tasks,
      DispatcherSession session, DispatcherEndpoints dispatchers,
      io.shoal.agent.registry.RegistryPullCredentials credentials, io.shoal.agent.overlay.OverlayPlane overlay,
      io.shoal.agent.discovery.DnsServer dns, ServiceTls tls, TaskLogsGrpcService logs) {
    this.logs = logs;
    this.tls = tls;
    this.credentials = credentials;
    this.overlay = overlay;
    this.dns = dns;
    this.flags = flags;
    this.node = node;
    this.telemetry = telemetry;
    this.engine = engine;
    this.tasks = tasks;
    this.session = session;
    this.dispatchers = dispatchers;
  }

  public NodeAgent start() {
    log.info("node agent {} ({}, addr {}) using {} and dispatcher {}", node.id(), node.hostname(), node.addr(),
        flags.dockerHost(), flags.dispatcher());
    tasks.start();
    session.start();
    // Task logs for managers only (control asks on behalf of `shoal service logs`). A removed
    // manager's certificate is not refused here: the agent does not watch the revocations.
    grpc = GrpcServer.start("node-agent", List.of(flags.listen()), List.of(logs), telemetry, tls,
        CallPolicy.builder().allow(TaskLogsServiceGrpc.SERVICE_NAME, Role.MANAGER), nodeId -> false);
    // Renewed at control (--manager) before it expires.
    renewal = CertificateRenewal.start("node " + node.id(), tls, flags.manager());
    return this;
  }

  public LocalNode node() {
    return node;
  }

  /** The gRPC (health) port actually bound. */
  public int grpcPort() {
    return grpc.port();
  }

  public TaskManager tasks() {
    return tasks;
  }

  @Override
  public void close() {
    if (grpc != null) {
      grpc.close();
    }
    ServiceMain.closeInOrder("node-agent", renewal, logs);
    session.close();
    tasks.close();
    dispatchers.close();
    credentials.close();
    // Networks, devices and rules stay: the containers that use them keep running.
    overlay.close();
    dns.close();
    engine.close();
    telemetry.close();
    log.info("node agent {} stopped; its containers keep running", node.id());
  }
}
