package io.shoal.control;

import io.shoal.control.paging.TablePager;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateNetworkRequest;
import io.shoal.api.v1.CreateNetworkResponse;
import io.shoal.api.v1.DeleteNetworkRequest;
import io.shoal.api.v1.DeleteNetworkResponse;
import io.shoal.api.v1.GetNetworkRequest;
import io.shoal.api.v1.GetNetworkResponse;
import io.shoal.api.v1.ListNetworksRequest;
import io.shoal.api.v1.ListNetworksResponse;
import io.shoal.api.v1.Network;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.CreateServiceResponse;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.DeleteServiceResponse;
import io.shoal.api.v1.GetClusterCaRequest;
import io.shoal.api.v1.GetClusterCaResponse;
import io.shoal.api.v1.GetJoinTokenRequest;
import io.shoal.api.v1.GetJoinTokenResponse;
import io.shoal.api.v1.GetNodeRequest;
import io.shoal.api.v1.GetNodeResponse;
import io.shoal.api.v1.GetServiceRequest;
import io.shoal.api.v1.GetServiceResponse;
import io.shoal.api.v1.ListNodesRequest;
import io.shoal.api.v1.ListNodesResponse;
import io.shoal.api.v1.ListServicesRequest;
import io.shoal.api.v1.ListServicesResponse;
import io.shoal.api.v1.ListTasksRequest;
import io.shoal.api.v1.ListTasksResponse;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.UpdateNodeRequest;
import io.shoal.api.v1.UpdateNodeResponse;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.api.v1.WatchServiceRequest;
import io.shoal.api.v1.WatchServiceResponse;
import io.shoal.common.errors.GrpcErrors;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.pki.Role;
import io.shoal.common.pki.RootCertificate;
import io.shoal.control.ca.ClusterCaManager;
import io.shoal.control.network.NetworkConfig;
import io.shoal.control.network.NetworkManager;
import io.shoal.control.network.NetworkQueries;
import java.time.Clock;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Translates ControlService calls to {@link ServiceManager} (writes), {@link ServiceQueries}
 * (reads), {@link NodeManager}, for networks {@link NetworkManager} and {@link NetworkQueries},
 * and for the cluster CA and join tokens {@link ClusterCaManager}; knows nothing else.
 */
public final class ControlGrpcService extends ControlServiceGrpc.ControlServiceImplBase {
  private final ServiceManager services;
  private final ServiceQueries queries;
  private final NodeManager nodes;
  private final ServiceWatches watches;
  private final NetworkManager networks;
  private final NetworkQueries networkQueries;
  private final ClusterCaManager clusterCa;

  @Inject
  ControlGrpcService(ServiceManager services, ServiceQueries queries, NodeManager nodes, ServiceWatches watches,
      NetworkManager networks, NetworkQueries networkQueries, ClusterCaManager clusterCa) {
    this.services = services;
    this.queries = queries;
    this.nodes = nodes;
    this.watches = watches;
    this.networks = networks;
    this.networkQueries = networkQueries;
    this.clusterCa = clusterCa;
  }

  /** For tests: reads on the manager's store, networks from Swarm's default pool, the given CA. */
  ControlGrpcService(ServiceManager services, NodeManager nodes, ServiceWatches watches, ClusterCaManager clusterCa) {
    this(services, new ServiceQueries(services.store()), nodes, watches,
        new NetworkManager(services.store(), NetworkConfig.DEFAULT, Clock.systemUTC()),
        new NetworkQueries(services.store()), clusterCa);
  }

  /** For tests without a cluster key, so without a CA. */
  ControlGrpcService(ServiceManager services, NodeManager nodes, ServiceWatches watches) {
    this(services, nodes, watches, new ClusterCaManager(services.store(), Optional.empty(), Clock.systemUTC()));
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
  public void getClusterCa(GetClusterCaRequest request, StreamObserver<GetClusterCaResponse> response) {
    GrpcErrors.unary(response, () -> {
      RootCertificate root = clusterCa.root();
      return GetClusterCaResponse.newBuilder()
          .setCertificatePem(root.pem()).setDigest(root.digest().toString()).build();
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
