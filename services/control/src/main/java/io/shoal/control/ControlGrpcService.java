package io.shoal.control;

import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateConfigRequest;
import io.shoal.api.v1.CreateConfigResponse;
import io.shoal.api.v1.CreateNetworkRequest;
import io.shoal.api.v1.CreateNetworkResponse;
import io.shoal.api.v1.CreateSecretRequest;
import io.shoal.api.v1.CreateSecretResponse;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.CreateServiceResponse;
import io.shoal.api.v1.DeleteConfigRequest;
import io.shoal.api.v1.DeleteConfigResponse;
import io.shoal.api.v1.DeleteNetworkRequest;
import io.shoal.api.v1.DeleteNetworkResponse;
import io.shoal.api.v1.DeleteNodeRequest;
import io.shoal.api.v1.DeleteNodeResponse;
import io.shoal.api.v1.DeleteSecretRequest;
import io.shoal.api.v1.DeleteSecretResponse;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.DeleteServiceResponse;
import io.shoal.api.v1.GetClusterCaRequest;
import io.shoal.api.v1.GetClusterCaResponse;
import io.shoal.api.v1.GetConfigRequest;
import io.shoal.api.v1.GetConfigResponse;
import io.shoal.api.v1.GetJoinTokenRequest;
import io.shoal.api.v1.GetJoinTokenResponse;
import io.shoal.api.v1.GetNetworkRequest;
import io.shoal.api.v1.GetNetworkResponse;
import io.shoal.api.v1.GetNodeRequest;
import io.shoal.api.v1.GetNodeResponse;
import io.shoal.api.v1.GetSecretRequest;
import io.shoal.api.v1.GetSecretResponse;
import io.shoal.api.v1.GetServiceRequest;
import io.shoal.api.v1.GetServiceResponse;
import io.shoal.api.v1.ListConfigsRequest;
import io.shoal.api.v1.ListConfigsResponse;
import io.shoal.api.v1.ListNetworksRequest;
import io.shoal.api.v1.ListNetworksResponse;
import io.shoal.api.v1.ListNodesRequest;
import io.shoal.api.v1.ListNodesResponse;
import io.shoal.api.v1.ListSecretsRequest;
import io.shoal.api.v1.ListSecretsResponse;
import io.shoal.api.v1.ListServicesRequest;
import io.shoal.api.v1.ListServicesResponse;
import io.shoal.api.v1.ListTasksRequest;
import io.shoal.api.v1.ListTasksResponse;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceLogsRequest;
import io.shoal.api.v1.ServiceLogsResponse;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.UpdateNodeRequest;
import io.shoal.api.v1.UpdateNodeResponse;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.api.v1.WatchEventsRequest;
import io.shoal.api.v1.WatchEventsResponse;
import io.shoal.api.v1.WatchServiceRequest;
import io.shoal.api.v1.WatchServiceResponse;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.RootCertificate;
import io.shoal.common.server.tls.ServiceTls;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.control.ca.ClusterCaManager;
import io.shoal.control.logs.AgentChannels;
import io.shoal.control.logs.ServiceLogs;
import io.shoal.control.events.EventLog;
import io.shoal.control.network.NetworkConfig;
import io.shoal.control.network.NetworkManager;
import io.shoal.control.network.NetworkQueries;
import io.shoal.control.paging.TablePager;
import io.shoal.control.secret.ConfigManager;
import io.shoal.control.secret.SecretManager;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;

/**
 * Translates ControlService calls to {@link ServiceManager} (writes), {@link ServiceQueries}
 * (reads), {@link NodeManager}, for networks {@link NetworkManager} and {@link NetworkQueries},
 * for secrets and configs {@link SecretManager} and {@link ConfigManager}, for the cluster CA
 * and join tokens {@link ClusterCaManager}, and for task logs {@link ServiceLogs}; knows nothing else.
 */
public final class ControlGrpcService extends ControlServiceGrpc.ControlServiceImplBase {
  private final ServiceManager services;
  private final ServiceQueries queries;
  private final NodeManager nodes;
  private final ServiceWatches watches;
  private final NetworkManager networks;
  private final NetworkQueries networkQueries;
  private final SecretManager secrets;
  private final ConfigManager configs;
  private final ClusterCaManager clusterCa;
  private final EventLog events;
  private final ServiceLogs logs;

  @Inject
  ControlGrpcService(ServiceManager services, ServiceQueries queries, NodeManager nodes, ServiceWatches watches,
      NetworkManager networks, NetworkQueries networkQueries, SecretManager secrets, ConfigManager configs,
      ClusterCaManager clusterCa, EventLog events, ServiceLogs logs) {
    this.logs = logs;
    this.events = events;
    this.services = services;
    this.queries = queries;
    this.nodes = nodes;
    this.watches = watches;
    this.networks = networks;
    this.networkQueries = networkQueries;
    this.secrets = secrets;
    this.configs = configs;
    this.clusterCa = clusterCa;
  }

  /**
   * For tests: reads on the manager's store, networks from Swarm's default pool, secrets sealed
   * under {@code key}, the given CA.
   */
  ControlGrpcService(ServiceManager services, NodeManager nodes, ServiceWatches watches, ClusterKey key,
      ClusterCaManager clusterCa) {
    this(services, nodes, watches, key, clusterCa, new EventLog(services.store(), Clock.systemUTC()));
  }

  /** For tests: as above, with the events of {@code events} (started by the caller). */
  ControlGrpcService(ServiceManager services, NodeManager nodes, ServiceWatches watches, ClusterKey key,
      ClusterCaManager clusterCa, EventLog events) {
    this(services, new ServiceQueries(services.store()), nodes, watches,
        new NetworkManager(services.store(), NetworkConfig.DEFAULT, Clock.systemUTC()),
        new NetworkQueries(services.store()),
        new SecretManager(services.store(), () -> key, Clock.systemUTC()),
        new ConfigManager(services.store(), Clock.systemUTC()), clusterCa, events,
        new ServiceLogs(services.store(), new AgentChannels(ServiceTls.insecure(), Telemetry.noop()),
            new ServiceQueries(services.store())::findStored, nodes::byId));
  }

  /** For tests: secrets sealed under {@code key}; no CA. */
  ControlGrpcService(ServiceManager services, NodeManager nodes, ServiceWatches watches, ClusterKey key) {
    this(services, nodes, watches, key, new ClusterCaManager(services.store(), Optional.empty(), Clock.systemUTC()));
  }

  /** For tests: as above, secrets sealed under a key of their own. */
  ControlGrpcService(ServiceManager services, NodeManager nodes, ServiceWatches watches) {
    this(services, nodes, watches, ClusterKey.generate());
  }

  /** For tests that serve services only. */
  ControlGrpcService(ServiceManager services) {
    this(services, new NodeManager(services.store()),
        new ServiceWatches(services.store(), new ServiceQueries(services.store())));
  }

  @Override
  public void createService(CreateServiceRequest request, StreamObserver<CreateServiceResponse> response) {
    GrpcErrors.unary(response, () -> {
      ServiceManager.Result r = services.create(request.getSpec(), new ServiceManager.ImageOptions(
          request.getNoResolveImage(), false, registryAuth(request.hasRegistryAuth(), request.getRegistryAuth())));
      return CreateServiceResponse.newBuilder().setService(r.service()).addAllWarnings(r.warnings()).build();
    });
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<GetServiceResponse> response) {
    GrpcErrors.unary(response,
        () -> GetServiceResponse.newBuilder().setService(queries.find(request.getService())).build());
  }

  @Override
  public void watchService(WatchServiceRequest request, StreamObserver<WatchServiceResponse> response) {
    watches.watch(request.getService(), response);
  }

  @Override
  public void watchEvents(WatchEventsRequest request, StreamObserver<WatchEventsResponse> response) {
    events.subscribe(request, (io.grpc.stub.ServerCallStreamObserver<WatchEventsResponse>) response);
  }

  @Override
  public void serviceLogs(ServiceLogsRequest request, StreamObserver<ServiceLogsResponse> response) {
    logs.logs(request, (io.grpc.stub.ServerCallStreamObserver<ServiceLogsResponse>) response);
  }

  @Override
  public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> response) {
    GrpcErrors.unary(response, () -> {
      TablePager.Page<Service> page = queries.list(request.getPageSize(), request.getPageToken());
      return ListServicesResponse.newBuilder().addAllServices(page.items())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void updateService(UpdateServiceRequest request, StreamObserver<UpdateServiceResponse> response) {
    GrpcErrors.unary(response, () -> {
      ServiceManager.Result r = request.getRollback()
          ? services.rollback(request.getServiceId(), request.getVersion())
          : services.update(request.getServiceId(), request.getVersion(), request.getSpec(),
              new ServiceManager.ImageOptions(request.getNoResolveImage(), request.getResolveImage(),
                  registryAuth(request.hasRegistryAuth(), request.getRegistryAuth())));
      return UpdateServiceResponse.newBuilder().setService(r.service()).addAllWarnings(r.warnings()).build();
    });
  }

  private static Optional<RegistryAuth> registryAuth(boolean given, RegistryAuth auth) {
    return given ? Optional.of(auth) : Optional.empty();
  }

  @Override
  public void deleteService(DeleteServiceRequest request, StreamObserver<DeleteServiceResponse> response) {
    GrpcErrors.unary(response, () -> {
      services.delete(request.getService());
      return DeleteServiceResponse.getDefaultInstance();
    });
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> response) {
    GrpcErrors.unary(response, () -> {
      TablePager.Page<Task> page = queries.tasks(request.getService(), request.getPageSize(), request.getPageToken());
      return ListTasksResponse.newBuilder().addAllTasks(page.items()).setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
    GrpcErrors.unary(response, () -> {
      TablePager.Page<Node> page = nodes.list(request.getPageSize(), request.getPageToken());
      return ListNodesResponse.newBuilder().addAllNodes(page.items()).setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void getNode(GetNodeRequest request, StreamObserver<GetNodeResponse> response) {
    GrpcErrors.unary(response, () -> GetNodeResponse.newBuilder().setNode(nodes.find(request.getNode())).build());
  }

  @Override
  public void deleteNode(DeleteNodeRequest request, StreamObserver<DeleteNodeResponse> response) {
    GrpcErrors.unary(response, () -> {
      nodes.delete(request.getNode(), request.getForce(), Clock.systemUTC().instant());
      return DeleteNodeResponse.getDefaultInstance();
    });
  }

  @Override
  public void updateNode(UpdateNodeRequest request, StreamObserver<UpdateNodeResponse> response) {
    GrpcErrors.unary(response, () -> UpdateNodeResponse.newBuilder()
        .setNode(nodes.update(request.getNodeId(), request.getVersion(), request.getSpec())).build());
  }

  @Override
  public void createNetwork(CreateNetworkRequest request, StreamObserver<CreateNetworkResponse> response) {
    GrpcErrors.unary(response,
        () -> CreateNetworkResponse.newBuilder().setNetwork(networks.create(request.getSpec())).build());
  }

  @Override
  public void getNetwork(GetNetworkRequest request, StreamObserver<GetNetworkResponse> response) {
    GrpcErrors.unary(response,
        () -> GetNetworkResponse.newBuilder().setNetwork(networkQueries.find(request.getNetwork())).build());
  }

  @Override
  public void listNetworks(ListNetworksRequest request, StreamObserver<ListNetworksResponse> response) {
    GrpcErrors.unary(response, () -> {
      TablePager.Page<Network> page = networkQueries.list(request.getPageSize(), request.getPageToken());
      return ListNetworksResponse.newBuilder().addAllNetworks(page.items())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void deleteNetwork(DeleteNetworkRequest request, StreamObserver<DeleteNetworkResponse> response) {
    GrpcErrors.unary(response, () -> {
      networks.delete(request.getNetwork());
      return DeleteNetworkResponse.getDefaultInstance();
    });
  }

  @Override
  public void createSecret(CreateSecretRequest request, StreamObserver<CreateSecretResponse> response) {
    GrpcErrors.unary(response,
        () -> CreateSecretResponse.newBuilder().setSecret(secrets.create(request.getSpec())).build());
  }

  @Override
  public void getSecret(GetSecretRequest request, StreamObserver<GetSecretResponse> response) {
    GrpcErrors.unary(response,
        () -> GetSecretResponse.newBuilder().setSecret(secrets.find(request.getSecret())).build());
  }

  @Override
  public void listSecrets(ListSecretsRequest request, StreamObserver<ListSecretsResponse> response) {
    GrpcErrors.unary(response, () -> {
      TablePager.Page<Secret> page = secrets.list(request.getPageSize(), request.getPageToken());
      return ListSecretsResponse.newBuilder().addAllSecrets(page.items())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void getClusterCa(GetClusterCaRequest request, StreamObserver<GetClusterCaResponse> response) {
    GrpcErrors.unary(response, () -> {
      RootCertificate root = clusterCa.root();
      return GetClusterCaResponse.newBuilder()
          .setCertificatePem(root.pem()).setDigest(root.digest().toString()).build();
    });
  }

  @Override
  public void deleteSecret(DeleteSecretRequest request, StreamObserver<DeleteSecretResponse> response) {
    GrpcErrors.unary(response, () -> {
      secrets.delete(request.getSecret());
      return DeleteSecretResponse.getDefaultInstance();
    });
  }

  @Override
  public void createConfig(CreateConfigRequest request, StreamObserver<CreateConfigResponse> response) {
    GrpcErrors.unary(response,
        () -> CreateConfigResponse.newBuilder().setConfig(configs.create(request.getSpec())).build());
  }

  @Override
  public void getConfig(GetConfigRequest request, StreamObserver<GetConfigResponse> response) {
    GrpcErrors.unary(response,
        () -> GetConfigResponse.newBuilder().setConfig(configs.find(request.getConfig())).build());
  }

  @Override
  public void listConfigs(ListConfigsRequest request, StreamObserver<ListConfigsResponse> response) {
    GrpcErrors.unary(response, () -> {
      TablePager.Page<Config> page = configs.list(request.getPageSize(), request.getPageToken());
      return ListConfigsResponse.newBuilder().addAllConfigs(page.items())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void deleteConfig(DeleteConfigRequest request, StreamObserver<DeleteConfigResponse> response) {
    GrpcErrors.unary(response, () -> {
      configs.delete(request.getConfig());
      return DeleteConfigResponse.getDefaultInstance();
    });

  }

  @Override
  public void getJoinToken(GetJoinTokenRequest request, StreamObserver<GetJoinTokenResponse> response) {
    GrpcErrors.unary(response, () -> GetJoinTokenResponse.newBuilder()
        .setToken(clusterCa.joinToken(role(request), request.getRotate()).value()).build());
  }

  private static Role role(GetJoinTokenRequest request) {
    return switch (request.getRole()) {
      case NODE_ROLE_WORKER -> Role.WORKER;
      case NODE_ROLE_MANAGER -> Role.MANAGER;
      default -> throw new InvalidArgumentException("role", "must be NODE_ROLE_WORKER or NODE_ROLE_MANAGER, not "
          + request.getRole());
    };
  }
}
