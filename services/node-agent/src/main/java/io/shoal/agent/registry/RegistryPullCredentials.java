package io.shoal.agent.registry;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.shoal.agent.LocalNode;
import io.shoal.agent.exec.PullCredentials;
import io.shoal.agent.session.SessionIdentity;
import io.shoal.api.v1.GetPullCredentialsRequest;
import io.shoal.api.v1.GetPullCredentialsResponse;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.Task;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the registry service for a task's pull credentials (RegistryService/GetPullCredentials),
 * proving who it is with the node id and the secret of its current dispatcher session, which
 * only this node received. Credentials are used for one pull and never kept or logged.
 */
@Singleton
public final class RegistryPullCredentials implements PullCredentials, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryPullCredentials.class);

  private final ManagedChannel channel;
  private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;
  private final LocalNode node;
  private final SessionIdentity session;

  @Inject
  public RegistryPullCredentials(@Named("registry") ManagedChannel channel, LocalNode node, SessionIdentity session) {
    this.channel = channel;
    this.registry = RegistryServiceGrpc.newBlockingStub(channel);
    this.node = node;
    this.session = session;
  }

  @Override
  public Lookup forTask(Task task) {
    Optional<String> secret = session.current();
    if (secret.isEmpty()) {
      return new Lookup(Optional.empty(), "no dispatcher session secret to prove this node's identity with");
    }
    try {
      GetPullCredentialsResponse r = registry.withDeadlineAfter(10, TimeUnit.SECONDS).getPullCredentials(
          GetPullCredentialsRequest.newBuilder()
              .setNodeId(node.id()).setSessionSecret(secret.get()).setTaskId(task.getId()).build());
      return new Lookup(r.hasAuth() ? Optional.of(r.getAuth()) : Optional.empty(), "");
    } catch (StatusRuntimeException e) {
      String why = "registry service: " + e.getStatus().getCode()
          + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription());
      log.warn("task {}: pulling without registry credentials ({})", task.getId(), why);
      return new Lookup(Optional.empty(), why);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
