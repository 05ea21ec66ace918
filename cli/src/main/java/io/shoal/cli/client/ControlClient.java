package io.shoal.cli.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.GetClusterCaRequest;
import io.shoal.api.v1.GetClusterCaResponse;
import io.shoal.api.v1.GetJoinTokenRequest;
import io.shoal.api.v1.NodeRole;
import io.shoal.api.v1.ControlServiceGrpc.ControlServiceBlockingStub;
import io.shoal.api.v1.CreateNetworkRequest;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.CreateServiceResponse;
import io.shoal.api.v1.DeleteNetworkRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.GetNetworkRequest;
import io.shoal.api.v1.GetNodeRequest;
import io.shoal.api.v1.GetServiceRequest;
import io.shoal.api.v1.ListNetworksRequest;
import io.shoal.api.v1.ListNetworksResponse;
import io.shoal.api.v1.ListNodesRequest;
import io.shoal.api.v1.ListNodesResponse;
import io.shoal.api.v1.ListServicesRequest;
import io.shoal.api.v1.ListServicesResponse;
import io.shoal.api.v1.ListTasksRequest;
import io.shoal.api.v1.ListTasksResponse;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.CreateSecretRequest;
import io.shoal.api.v1.DeleteSecretRequest;
import io.shoal.api.v1.GetSecretRequest;
import io.shoal.api.v1.ListSecretsRequest;
import io.shoal.api.v1.ListSecretsResponse;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.SecretSpec;
import io.shoal.api.v1.CreateConfigRequest;
import io.shoal.api.v1.DeleteConfigRequest;
import io.shoal.api.v1.GetConfigRequest;
import io.shoal.api.v1.ListConfigsRequest;
import io.shoal.api.v1.ListConfigsResponse;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ConfigSpec;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.UpdateNodeRequest;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.api.v1.WatchServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The CLI's view of {@code shoal.v1.ControlService}: one blocking call per method, each with its
 * own deadline; a listing follows every page. Failures surface as {@link
 * io.grpc.StatusRuntimeException}; the command layer turns them into one line.
 */
public final class ControlClient {
  /** Long enough for CreateService to resolve an image against a slow registry. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
  /**
   * The largest answer the CLI takes: four times the 2 MiB page control sends, so a page always
   * fits, while a runaway answer still fails instead of filling the heap.
   */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 8 * 1024 * 1024;
  /** A listing whose snapshot etcd compacted meanwhile (ABORTED) starts over this many times. */
  static final int LISTING_ATTEMPTS = 3;

  private final Channel channel;
  private final Duration deadline;
  private final int pageSize;

  public ControlClient(Channel channel) {
    this(channel, DEFAULT_DEADLINE);
  }

  public ControlClient(Channel channel, Duration deadline) {
    this(channel, deadline, 0);
  }

  /** {@code pageSize} 0 lets control choose (500). */
  public ControlClient(Channel channel, Duration deadline, int pageSize) {
    this.channel = channel;
    this.deadline = deadline;
    this.pageSize = pageSize;
  }

  /** One page of a listing and the token of the next, empty on the last. */
  private record Page<T>(List<T> items, String nextPageToken) {}

  /**
   * Every page of a listing, following next_page_token to the end. ABORTED means the snapshot
   * the pages were read from was compacted in etcd: the listing starts over from the first page.
   */
  private static <T> List<T> allPages(Function<String, Page<T>> fetch) {
    for (int attempt = 1; ; attempt++) {
      List<T> all = new ArrayList<>();
      String token = "";
      try {
        do {
          Page<T> page = fetch.apply(token);
          all.addAll(page.items());
          token = page.nextPageToken();
        } while (!token.isEmpty());
        return all;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.ABORTED || attempt == LISTING_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  // A deadline is a point in time, so every call gets a fresh stub.
  private ControlServiceBlockingStub stub() {
    return ControlServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public CreateServiceResponse createService(ServiceSpec spec, boolean noResolveImage) {
    return createService(spec, noResolveImage, java.util.Optional.empty());
  }

  /** With {@code --with-registry-auth}: the login for the image's registry goes along. */
  public CreateServiceResponse createService(
      ServiceSpec spec, boolean noResolveImage, java.util.Optional<io.shoal.api.v1.RegistryAuth> auth) {
    CreateServiceRequest.Builder request =
        CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(noResolveImage);
    auth.ifPresent(request::setRegistryAuth);
    return stub().createService(request.build());
  }

  /** By id, name or unique id prefix. */
  public Service getService(String service) {
    return stub()
        .getService(GetServiceRequest.newBuilder().setService(service).build())
        .getService();
  }

  /** Every service, in no particular order. */
  public List<Service> listServices() {
    return allPages(token -> {
      ListServicesResponse r = stub().listServices(
          ListServicesRequest.newBuilder().setPageSize(pageSize).setPageToken(token).build());
      return new Page<>(r.getServicesList(), r.getNextPageToken());
    });
  }

  /** Replaces the spec of the service read at {@code version}; a stale version is ABORTED. */
  public UpdateServiceResponse updateService(
      String serviceId, long version, ServiceSpec spec, boolean noResolveImage) {
    return updateService(serviceId, version, spec, noResolveImage, java.util.Optional.empty(), false);
  }

  /**
   * With {@code --with-registry-auth}: the login replaces the service's stored one. {@code
   * resolveImage} ({@code --image} given) asks control to resolve the image even if unchanged.
   */
  public UpdateServiceResponse updateService(
      String serviceId,
      long version,
      ServiceSpec spec,
      boolean noResolveImage,
      java.util.Optional<io.shoal.api.v1.RegistryAuth> auth,
      boolean resolveImage) {
    UpdateServiceRequest.Builder request =
        UpdateServiceRequest.newBuilder()
            .setServiceId(serviceId)
            .setVersion(version)
            .setSpec(spec)
            .setNoResolveImage(noResolveImage)
            .setResolveImage(resolveImage);
    auth.ifPresent(request::setRegistryAuth);
    return stub().updateService(request.build());
  }

  /**
   * {@code service rollback}: asks for the previous spec back, on the service read at {@code
   * version}; a stale version is ABORTED, no previous spec FAILED_PRECONDITION.
   */
  public UpdateServiceResponse rollbackService(String serviceId, long version) {
    return stub()
        .updateService(
            UpdateServiceRequest.newBuilder()
                .setServiceId(serviceId)
                .setVersion(version)
                .setRollback(true)
                .build());
  }

  /**
   * Opens a WatchService call on the service: every change of it or its tasks wakes {@code
   * changes}. It has no deadline; close it when done.
   */
  public ServiceWatch watchService(String serviceId, ChangeSignal changes) {
    ServiceWatch watch = new ServiceWatch(changes);
    ControlServiceGrpc.newStub(channel)
        .watchService(WatchServiceRequest.newBuilder().setService(serviceId).build(), watch);
    return watch;
  }

  /**
   * Opens a WatchEvents call, without a deadline: its events as they come. Interrupting the
   * reading thread cancels the call.
   */
  public java.util.Iterator<io.shoal.api.v1.WatchEventsResponse> watchEvents(io.shoal.api.v1.WatchEventsRequest request) {
    return ControlServiceGrpc.newBlockingStub(channel).watchEvents(request);
  }

  /**
   * Opens a ServiceLogs call, without a deadline (it may follow): its responses as they come.
   * Interrupting the reading thread cancels the call.
   */
  public java.util.Iterator<io.shoal.api.v1.ServiceLogsResponse> serviceLogs(io.shoal.api.v1.ServiceLogsRequest request) {
    return ControlServiceGrpc.newBlockingStub(channel).serviceLogs(request);
  }

  public void deleteService(String service) {
    stub().deleteService(DeleteServiceRequest.newBuilder().setService(service).build());
  }

  /**
   * The tasks of one service (id, name or prefix), or of every service when empty, in no
   * particular order.
   */
  public List<Task> listTasks(String service) {
    return allPages(token -> {
      ListTasksResponse r = stub().listTasks(ListTasksRequest.newBuilder()
          .setService(service).setPageSize(pageSize).setPageToken(token).build());
      return new Page<>(r.getTasksList(), r.getNextPageToken());
    });
  }

  /** By id, hostname or unique id prefix. */
  public Node getNode(String node) {
    return stub().getNode(GetNodeRequest.newBuilder().setNode(node).build()).getNode();
  }

  /** Replaces the spec of the node read at {@code version}; a stale version is ABORTED. */
  public Node updateNode(String nodeId, long version, NodeSpec spec) {
    return stub()
        .updateNode(
            UpdateNodeRequest.newBuilder()
                .setNodeId(nodeId)
                .setVersion(version)
                .setSpec(spec)
                .build())
        .getNode();
  }

  /** Every node, in no particular order. */
  public List<Node> listNodes() {
    return allPages(token -> {
      ListNodesResponse r = stub().listNodes(
          ListNodesRequest.newBuilder().setPageSize(pageSize).setPageToken(token).build());
      return new Page<>(r.getNodesList(), r.getNextPageToken());
    });
  }

  /** Creates a network; control allocates its subnet unless the spec gives one. */
  public Network createNetwork(NetworkSpec spec) {
    return stub().createNetwork(CreateNetworkRequest.newBuilder().setSpec(spec).build()).getNetwork();
  }

  /** By id, name or unique id prefix. */
  public Network getNetwork(String network) {
    return stub().getNetwork(GetNetworkRequest.newBuilder().setNetwork(network).build()).getNetwork();
  }

  /** Every network, in no particular order. */
  public List<Network> listNetworks() {
    return allPages(token -> {
      ListNetworksResponse r = stub().listNetworks(
          ListNetworksRequest.newBuilder().setPageSize(pageSize).setPageToken(token).build());
      return new Page<>(r.getNetworksList(), r.getNextPageToken());
    });
  }

  /** FAILED_PRECONDITION, naming them, while services use it. */
  public void deleteNetwork(String network) {
    stub().deleteNetwork(DeleteNetworkRequest.newBuilder().setNetwork(network).build());
  }

  /** Creates a secret; the answer holds its id (metadata only). */
  public Secret createSecret(SecretSpec spec) {
    return stub().createSecret(CreateSecretRequest.newBuilder().setSpec(spec).build()).getSecret();
  }

  /** By id, name or unique id prefix (metadata only). */
  public Secret getSecret(String secret) {
    return stub().getSecret(GetSecretRequest.newBuilder().setSecret(secret).build()).getSecret();
  }

  /** Every secret, in no particular order, without data. */
  public List<Secret> listSecrets() {
    return allPages(token -> {
      ListSecretsResponse r = stub().listSecrets(
          ListSecretsRequest.newBuilder().setPageSize(pageSize).setPageToken(token).build());
      return new Page<>(r.getSecretsList(), r.getNextPageToken());
    });
  }

  /** FAILED_PRECONDITION, naming them, while services use it. */
  public void deleteSecret(String secret) {
    stub().deleteSecret(DeleteSecretRequest.newBuilder().setSecret(secret).build());
  }

  /** Creates a config; the answer holds its id (with its data). */
  public Config createConfig(ConfigSpec spec) {
    return stub().createConfig(CreateConfigRequest.newBuilder().setSpec(spec).build()).getConfig();
  }

  /** By id, name or unique id prefix (with its data). */
  public Config getConfig(String config) {
    return stub().getConfig(GetConfigRequest.newBuilder().setConfig(config).build()).getConfig();
  }

  /** Every config, in no particular order, without data. */
  public List<Config> listConfigs() {
    return allPages(token -> {
      ListConfigsResponse r = stub().listConfigs(
          ListConfigsRequest.newBuilder().setPageSize(pageSize).setPageToken(token).build());
      return new Page<>(r.getConfigsList(), r.getNextPageToken());
    });
  }

  /** FAILED_PRECONDITION, naming them, while services use it. */
  public void deleteConfig(String config) {
    stub().deleteConfig(DeleteConfigRequest.newBuilder().setConfig(config).build());
  }

  /** Removes and revokes a node; FAILED_PRECONDITION for one that is not down, unless {@code force}. */
  public void deleteNode(String node, boolean force) {
    stub().deleteNode(io.shoal.api.v1.DeleteNodeRequest.newBuilder().setNode(node).setForce(force).build());
  }

  /** The cluster CA's root certificate and its digest. */
  public GetClusterCaResponse clusterCa() {
    return stub().getClusterCa(GetClusterCaRequest.getDefaultInstance());
  }

  /** The join token of {@code role}, after replacing it with a new one when {@code rotate}. */
  public String joinToken(NodeRole role, boolean rotate) {
    return stub().getJoinToken(GetJoinTokenRequest.newBuilder().setRole(role).setRotate(rotate).build()).getToken();
  }
}
