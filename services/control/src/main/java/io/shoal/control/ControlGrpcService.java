package io.shoal.control;

import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.CreateServiceResponse;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.DeleteServiceResponse;
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
import io.shoal.api.v1.Service;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.UpdateNodeRequest;
import io.shoal.api.v1.UpdateNodeResponse;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.api.v1.WatchServiceRequest;
import io.shoal.api.v1.WatchServiceResponse;
import io.shoal.common.errors.GrpcErrors;
import jakarta.inject.Inject;
import java.util.Optional;

/** Translates ControlService calls to {@link ServiceManager} and {@link NodeManager}; knows nothing else. */
public final class ControlGrpcService extends ControlServiceGrpc.ControlServiceImplBase {
  private final ServiceManager services;
  private final NodeManager nodes;
  private final ServiceWatches watches;

  @Inject
  ControlGrpcService(ServiceManager services, NodeManager nodes, ServiceWatches watches) {
    this.services = services;
    this.nodes = nodes;
    this.watches = watches;
  }

  /** For tests that serve services only. */
  ControlGrpcService(ServiceManager services) {
    this(services, new NodeManager(services.store()), new ServiceWatches(services.store(), services));
  }

  @Override
  public void createService(CreateServiceRequest request, StreamObserver<CreateServiceResponse> response) {
    GrpcErrors.unary(response, () -> {
      ServiceManager.Result r = services.create(request.getSpec(), request.getNoResolveImage(),
          request.hasRegistryAuth() ? Optional.of(request.getRegistryAuth()) : Optional.empty());
      return CreateServiceResponse.newBuilder().setService(r.service()).addAllWarnings(r.warnings()).build();
    });
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<GetServiceResponse> response) {
    GrpcErrors.unary(response,
        () -> GetServiceResponse.newBuilder().setService(services.find(request.getService())).build());
  }

  @Override
  public void watchService(WatchServiceRequest request, StreamObserver<WatchServiceResponse> response) {
    watches.watch(request.getService(), response);
  }

  @Override
  public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> response) {
    GrpcErrors.unary(response, () -> {
      TablePager.Page<Service> page = services.list(request.getPageSize(), request.getPageToken());
      return ListServicesResponse.newBuilder().addAllServices(page.items())
          .setNextPageToken(page.nextPageToken()).build();
    });
  }

  @Override
  public void updateService(UpdateServiceRequest request, StreamObserver<UpdateServiceResponse> response) {
    GrpcErrors.unary(response, () -> {
      ServiceManager.Result r = request.getRollback()
          ? services.rollback(request.getServiceId(), request.getVersion())
          : services.update(
          request.getServiceId(), request.getVersion(), request.getSpec(), request.getNoResolveImage(),
          request.hasRegistryAuth() ? Optional.of(request.getRegistryAuth()) : Optional.empty(),
          request.getResolveImage());
      return UpdateServiceResponse.newBuilder().setService(r.service()).addAllWarnings(r.warnings()).build();
    });
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
      TablePager.Page<Task> page = services.tasks(request.getService(), request.getPageSize(), request.getPageToken());
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
}
