package io.shoal.cli.testing;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
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
import io.shoal.api.v1.CreateSecretRequest;
import io.shoal.api.v1.CreateSecretResponse;
import io.shoal.api.v1.GetSecretRequest;
import io.shoal.api.v1.GetSecretResponse;
import io.shoal.api.v1.ListSecretsRequest;
import io.shoal.api.v1.ListSecretsResponse;
import io.shoal.api.v1.DeleteSecretRequest;
import io.shoal.api.v1.DeleteSecretResponse;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.SecretSpec;
import io.shoal.api.v1.CreateConfigRequest;
import io.shoal.api.v1.CreateConfigResponse;
import io.shoal.api.v1.GetConfigRequest;
import io.shoal.api.v1.GetConfigResponse;
import io.shoal.api.v1.ListConfigsRequest;
import io.shoal.api.v1.ListConfigsResponse;
import io.shoal.api.v1.DeleteConfigRequest;
import io.shoal.api.v1.DeleteConfigResponse;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ConfigSpec;
import io.shoal.api.v1.NetworkSpec;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.CreateServiceResponse;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.DeleteServiceResponse;
import io.shoal.api.v1.GetServiceRequest;
import io.shoal.api.v1.GetServiceResponse;
import io.shoal.api.v1.ListNodesRequest;
import io.shoal.api.v1.ListNodesResponse;
import io.shoal.api.v1.ListServicesRequest;
import io.shoal.api.v1.ListServicesResponse;
import io.shoal.api.v1.ListTasksRequest;
import io.shoal.api.v1.ListTasksResponse;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.api.v1.UpdateServiceResponse;
import io.shoal.api.v1.WatchServiceRequest;
import io.shoal.api.v1.WatchServiceResponse;
import io.shoal.common.time.Timestamps;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An in-memory ControlService that records every request. It stores services with versions (stale
 * writes are ABORTED), pins images, resolves services by id, name or unique prefix, and can play a
 * tiny scheduler: with {@link #simulateScheduler} on, each ListTasks of a service moves its tasks
 * one state forward (and replaces outdated ones), so a waiting CLI sees Docker-like progress within
 * a few polls.
 *
 * <p>Every method is {@code synchronized}: the in-process transport runs calls on the test thread
 * (direct executor), but nothing here should depend on that.
 */
public final class FakeControlService extends ControlServiceGrpc.ControlServiceImplBase {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  /** The order the fake scheduler moves a task through. */
  private static final List<TaskState> LIFE =
      List.of(
          TaskState.TASK_STATE_NEW,
          TaskState.TASK_STATE_PENDING,
          TaskState.TASK_STATE_ASSIGNED,
          TaskState.TASK_STATE_ACCEPTED,
          TaskState.TASK_STATE_PREPARING,
          TaskState.TASK_STATE_STARTING,
          TaskState.TASK_STATE_RUNNING);

  private final Clock clock;
  private final Map<String, Service> services = new LinkedHashMap<>();
  private final List<Task> tasks = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<io.shoal.api.v1.UpdateNodeRequest> nodeUpdates = new ArrayList<>();
  private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Random ids = new Random(42);
  private long revision = 100;
  private final FakeNetworks networks = new FakeNetworks(this::newId);
  private final FakePayloads payloads;

  private final List<CreateServiceRequest> creates = new ArrayList<>();
  private final List<UpdateServiceRequest> updates = new ArrayList<>();
  private final List<DeleteServiceRequest> deletes = new ArrayList<>();
  private int listTasksCalls;

  private final Map<String, Status> failures = new LinkedHashMap<>();
  private int abortsLeft;
  private UnaryOperator<ServiceSpec> concurrentChange = UnaryOperator.identity();
  private List<String> createWarnings = List.of();

  private boolean simulateScheduler;
  private TaskState stopAt = TaskState.TASK_STATE_RUNNING;
  private String failAtStartingWith;
  /** Reads of a RUNNING task before it crashes, once (0: never). */
  private int crashAfterReads;

  public FakeControlService(Clock clock) {
    this.clock = clock;
    this.payloads = new FakePayloads(this::newId, clock);
  }

  /** Pages as small as this, so every listing in the CLI's tests crosses pages. */
  static final int PAGE = 2;

  private record Page<T>(List<T> items, String next) {}

  /** As control lists: in id order, a page at a time; the token is the offset here. */
  private static <T> Page<T> page(List<T> all, Function<T, String> id, String token) {
    List<T> ordered = all.stream().sorted(Comparator.comparing(id)).toList();
    int from = token.isEmpty() ? 0 : Integer.parseInt(token);
    int to = Math.min(ordered.size(), from + PAGE);
    return new Page<>(ordered.subList(from, to), to < ordered.size() ? String.valueOf(to) : "");
  }

  // ---- set-up ------------------------------------------------------------------------------

  /** Stores a service as if created earlier; returns it with its id and version. */
  public synchronized Service addService(ServiceSpec spec) {
    Service s =
        Service.newBuilder()
            .setId(newId())
            .setVersion(++revision)
            .setSpec(spec)
            .setCreateTime(now())
            .setUpdateTime(now())
            .build();
    services.put(s.getId(), s);
    return s;
  }

  /** What the scheduler writes when it can't reconcile {@code ref}. */
  public synchronized void setReconcileError(String ref, String reason) {
    Service s = find(ref).orElseThrow();
    services.put(s.getId(), s.toBuilder().setReconcileError(reason).setVersion(++revision).build());
  }

  /** What the scheduler allocates for {@code ref}: its virtual IPs, returned with the service. */
  public synchronized Service setEndpoint(String ref, io.shoal.api.v1.Endpoint endpoint) {
    Service s = find(ref).orElseThrow().toBuilder().setEndpoint(endpoint).setVersion(++revision).build();
    services.put(s.getId(), s);
    return s;
  }

  public synchronized void addTask(Task task) {
    tasks.add(task);
  }

  public synchronized void addNode(Node node) {
    nodes.add(node);
  }

  /** Stores a network as if created earlier (subnet 10.0.N.0/24 unless given); returns it. */
  public synchronized Network addNetwork(NetworkSpec spec) {
    return networks.add(spec);
  }

  public synchronized List<Network> networks() {
    return networks.all();
  }

  /** The next {@code rpc} call (e.g. "CreateService") fails with {@code status}. */
  public synchronized void failNext(String rpc, Status status) {
    failures.put(rpc, status);
  }

  /**
   * The next {@code times} UpdateService calls lose a race: before each, someone else applies
   * {@code change} to the stored service (bumping its version), so the request's version is stale.
   */
  public synchronized void abortUpdates(int times, UnaryOperator<ServiceSpec> change) {
    this.abortsLeft = times;
    this.concurrentChange = change;
  }

  public synchronized void createWarnings(List<String> warnings) {
    this.createWarnings = List.copyOf(warnings);
  }

  /** Each ListTasks of a service advances its tasks one step (see class doc). */
  public synchronized void simulateScheduler(boolean on) {
    this.simulateScheduler = on;
  }

  /** The simulated tasks never get past {@code state}. */
  public synchronized void stopAt(TaskState state) {
    this.stopAt = state;
  }

  /** The simulated tasks fail when starting, with this error; each is replaced by a new one. */
  /** The first task to run crashes once, after {@code reads} more scheduling steps see it running. */
  public synchronized void crashOnceAfterRunning(int reads) {
    this.crashAfterReads = reads;
  }

  public synchronized void failAtStarting(String err) {
    this.failAtStartingWith = err;
  }

  // ---- what the CLI sent -------------------------------------------------------------------

  public synchronized List<CreateServiceRequest> creates() {
    return List.copyOf(creates);
  }

  public synchronized List<UpdateServiceRequest> updates() {
    return List.copyOf(updates);
  }

  public synchronized List<DeleteServiceRequest> deletes() {
    return List.copyOf(deletes);
  }

  public synchronized int listTasksCalls() {
    return listTasksCalls;
  }

  public synchronized Service service(String ref) {
    return find(ref).orElseThrow();
  }

  public synchronized List<Task> tasks() {
    return List.copyOf(tasks);
  }

  // ---- the RPCs ----------------------------------------------------------------------------

  @Override
  public synchronized void createService(
      CreateServiceRequest request, StreamObserver<CreateServiceResponse> response) {
    creates.add(request);
    if (failed("CreateService", response)) {
      return;
    }
    ServiceSpec spec = request.getSpec();
    if (!NAME.matcher(spec.getName()).matches()) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "ServiceSpec.name: \"" + spec.getName() + "\" must match " + NAME.pattern())
              .asRuntimeException());
      return;
    }
    if (services.values().stream().anyMatch(s -> s.getSpec().getName().equals(spec.getName()))) {
      response.onError(
          Status.ALREADY_EXISTS
              .withDescription("service " + spec.getName() + " already exists")
              .asRuntimeException());
      return;
    }
    ServiceSpec pinned;
    try {
      pinned = networks.resolve(request.getNoResolveImage() ? spec : pin(spec));
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    Service s =
        Service.newBuilder()
            .setId(newId())
            .setVersion(++revision)
            .setSpec(pinned)
            .setCreateTime(now())
            .setUpdateTime(now())
            .addAllWarnings(createWarnings)
            .build();
    services.put(s.getId(), s);
    response.onNext(
        CreateServiceResponse.newBuilder().setService(s).addAllWarnings(createWarnings).build());
    response.onCompleted();
  }

  /** WatchService calls the CLI made, and how many it has cancelled. */
  private int watches;
  private int watchesCancelled;

  public synchronized int watches() {
    return watches;
  }

  public synchronized int watchesCancelled() {
    return watchesCancelled;
  }

  /** Sends the first notice only: the CLI's reads, not notices, drive the simulated scheduler. */
  @Override
  public synchronized void watchService(
      WatchServiceRequest request, StreamObserver<WatchServiceResponse> response) {
    watches++;
    ServerCallStreamObserver<WatchServiceResponse> call = (ServerCallStreamObserver<WatchServiceResponse>) response;
    call.setOnCancelHandler(() -> {
      synchronized (this) {
        watchesCancelled++;
      }
    });
    response.onNext(WatchServiceResponse.newBuilder().setRevision(1).build());
  }

  @Override
  public synchronized void getService(
      GetServiceRequest request, StreamObserver<GetServiceResponse> response) {
    if (failed("GetService", response)) {
      return;
    }
    Optional<Service> s = find(request.getService());
    if (s.isEmpty()) {
      response.onError(notFound(request.getService()));
      return;
    }
    response.onNext(GetServiceResponse.newBuilder().setService(s.get()).build());
    response.onCompleted();
  }

  @Override
  public synchronized void listServices(
      ListServicesRequest request, StreamObserver<ListServicesResponse> response) {
    if (failed("ListServices", response)) {
      return;
    }
    Page<Service> page = page(new ArrayList<>(services.values()), Service::getId, request.getPageToken());
    response.onNext(ListServicesResponse.newBuilder().addAllServices(page.items())
        .setNextPageToken(page.next()).build());
    response.onCompleted();
  }

  @Override
  public synchronized void updateService(
      UpdateServiceRequest request, StreamObserver<UpdateServiceResponse> response) {
    updates.add(request);
    if (failed("UpdateService", response)) {
      return;
    }
    Service current = services.get(request.getServiceId());
    if (current == null) {
      response.onError(notFound(request.getServiceId()));
      return;
    }
    if (abortsLeft > 0) {
      abortsLeft--;
      current =
          current.toBuilder()
              .setSpec(concurrentChange.apply(current.getSpec()))
              .setVersion(++revision)
              .build();
      services.put(current.getId(), current);
    }
    if (request.getVersion() != current.getVersion()) {
      response.onError(
          Status.ABORTED
              .withDescription(
                  "service "
                      + current.getSpec().getName()
                      + " changed since it was read (version "
                      + request.getVersion()
                      + ", now "
                      + current.getVersion()
                      + ")")
              .asRuntimeException());
      return;
    }
    if (request.getRollback()) {
      // Like control: spec and previous spec swap (the name stays), and the rollback starts.
      Service.Builder swapped = current.toBuilder();
      if (current.hasPreviousSpec()) {
        swapped
            .setSpec(
                current.getPreviousSpec().toBuilder().setName(current.getSpec().getName()))
            .setPreviousSpec(current.getSpec());
      }
      Service rolling =
          swapped
              .setUpdateStatus(
                  io.shoal.api.v1.UpdateStatus.newBuilder()
                      .setState(io.shoal.api.v1.UpdateState.UPDATE_STATE_ROLLBACK_STARTED)
                      .setMessage("manually requested rollback"))
              .setVersion(++revision)
              .setUpdateTime(now())
              .build();
      services.put(rolling.getId(), rolling);
      response.onNext(UpdateServiceResponse.newBuilder().setService(rolling).build());
      response.onCompleted();
      return;
    }
    ServiceSpec spec = request.getSpec();
    boolean imageChanged =
        !spec.getContainer().getImage().equals(current.getSpec().getContainer().getImage());
    if (imageChanged && !request.getNoResolveImage()) {
      spec = pin(spec);
    }
    try {
      spec = networks.resolve(spec);
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    Service updated =
        current.toBuilder()
            .setSpec(spec)
            .setPreviousSpec(current.getSpec())
            .setVersion(++revision)
            .setUpdateTime(now())
            .build();
    services.put(updated.getId(), updated);
    response.onNext(UpdateServiceResponse.newBuilder().setService(updated).build());
    response.onCompleted();
  }

  @Override
  public synchronized void deleteService(
      DeleteServiceRequest request, StreamObserver<DeleteServiceResponse> response) {
    deletes.add(request);
    if (failed("DeleteService", response)) {
      return;
    }
    Optional<Service> s = find(request.getService());
    if (s.isEmpty()) {
      response.onError(notFound(request.getService()));
      return;
    }
    services.remove(s.get().getId());
    response.onNext(DeleteServiceResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public synchronized void listTasks(
      ListTasksRequest request, StreamObserver<ListTasksResponse> response) {
    listTasksCalls++;
    if (failed("ListTasks", response)) {
      return;
    }
    List<Task> result;
    if (request.getService().isEmpty()) {
      result = tasks;
    } else {
      Optional<Service> s = find(request.getService());
      if (s.isEmpty()) {
        response.onError(notFound(request.getService()));
        return;
      }
      if (simulateScheduler) {
        schedule(s.get());
      }
      String id = s.get().getId();
      result = tasks.stream().filter(t -> t.getServiceId().equals(id)).toList();
    }
    Page<Task> page = page(result, Task::getId, request.getPageToken());
    response.onNext(
        ListTasksResponse.newBuilder().addAllTasks(page.items()).setNextPageToken(page.next()).build());
    response.onCompleted();
  }

  @Override
  public synchronized void listNodes(
      ListNodesRequest request, StreamObserver<ListNodesResponse> response) {
    if (failed("ListNodes", response)) {
      return;
    }
    Page<Node> page = page(nodes, Node::getId, request.getPageToken());
    response.onNext(
        ListNodesResponse.newBuilder().addAllNodes(page.items()).setNextPageToken(page.next()).build());
    response.onCompleted();
  }

  @Override
  public synchronized void getNode(
      io.shoal.api.v1.GetNodeRequest request,
      StreamObserver<io.shoal.api.v1.GetNodeResponse> response) {
    if (failed("GetNode", response)) {
      return;
    }
    String ref = request.getNode();
    Optional<Node> node =
        nodes.stream()
            .filter(n -> n.getId().equals(ref) || n.getDescription().getHostname().equals(ref))
            .findFirst();
    if (node.isEmpty()) {
      response.onError(Status.NOT_FOUND.withDescription("node " + ref + " not found").asRuntimeException());
      return;
    }
    response.onNext(io.shoal.api.v1.GetNodeResponse.newBuilder().setNode(node.get()).build());
    response.onCompleted();
  }

  @Override
  public synchronized void deleteNode(io.shoal.api.v1.DeleteNodeRequest request,
      StreamObserver<io.shoal.api.v1.DeleteNodeResponse> response) {
    answer("DeleteNode", response, () -> {
      String ref = request.getNode();
      Node node = nodes.stream()
          .filter(n -> n.getId().equals(ref) || n.getDescription().getHostname().equals(ref)).findFirst()
          .orElseThrow(() -> Status.NOT_FOUND.withDescription("node " + ref + " not found").asRuntimeException());
      if (!request.getForce() && node.getStatus().getState() != NodeState.NODE_STATE_DOWN) {
        throw Status.FAILED_PRECONDITION.withDescription("node " + ref + " is not down and can't be removed")
            .asRuntimeException();
      }
      nodes.remove(node);
      return io.shoal.api.v1.DeleteNodeResponse.getDefaultInstance();
    });
  }

  /** Node updates received, in order. */
  public synchronized List<io.shoal.api.v1.UpdateNodeRequest> nodeUpdates() {
    return List.copyOf(nodeUpdates);
  }

  @Override
  public synchronized void updateNode(
      io.shoal.api.v1.UpdateNodeRequest request,
      StreamObserver<io.shoal.api.v1.UpdateNodeResponse> response) {
    nodeUpdates.add(request);
    if (failed("UpdateNode", response)) {
      return;
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (!n.getId().equals(request.getNodeId())) {
        continue;
      }
      if (n.getVersion() != request.getVersion()) {
        response.onError(Status.ABORTED.withDescription("node changed since it was read").asRuntimeException());
        return;
      }
      Node updated = n.toBuilder().setSpec(request.getSpec()).setVersion(++revision).build();
      nodes.set(i, updated);
      response.onNext(io.shoal.api.v1.UpdateNodeResponse.newBuilder().setNode(updated).build());
      response.onCompleted();
      return;
    }
    response.onError(Status.NOT_FOUND.withDescription("node " + request.getNodeId() + " not found").asRuntimeException());
  }

  @Override
  public synchronized void createNetwork(CreateNetworkRequest request, StreamObserver<CreateNetworkResponse> response) {
    networkRequests.add(request);
    answer("CreateNetwork", response, () -> CreateNetworkResponse.newBuilder().setNetwork(networks.add(request.getSpec())).build());
  }

  @Override
  public synchronized void getNetwork(GetNetworkRequest request, StreamObserver<GetNetworkResponse> response) {
    answer("GetNetwork", response, () -> GetNetworkResponse.newBuilder().setNetwork(networks.get(request.getNetwork())).build());
  }

  @Override
  public synchronized void listNetworks(ListNetworksRequest request, StreamObserver<ListNetworksResponse> response) {
    answer("ListNetworks", response, () -> {
      Page<Network> page = page(networks.all(), Network::getId, request.getPageToken());
      return ListNetworksResponse.newBuilder().addAllNetworks(page.items()).setNextPageToken(page.next()).build();
    });
  }

  @Override
  public synchronized void deleteNetwork(DeleteNetworkRequest request, StreamObserver<DeleteNetworkResponse> response) {
    answer("DeleteNetwork", response, () -> {
      networks.remove(request.getNetwork(), services.values());
      return DeleteNetworkResponse.getDefaultInstance();
    });
  }

  private final List<CreateNetworkRequest> networkRequests = new ArrayList<>();

  /** CreateNetwork requests received, in order. */
  public synchronized List<CreateNetworkRequest> networkCreates() {
    return List.copyOf(networkRequests);
  }

  /** Stores a secret as if created earlier. */
  public synchronized Secret addSecret(SecretSpec spec) {
    return payloads.addSecret(spec);
  }

  /** Stores a config as if created earlier. */
  public synchronized Config addConfig(ConfigSpec spec) {
    return payloads.addConfig(spec);
  }

  /** What CreateSecret received, data included. */
  public synchronized List<SecretSpec> secretCreates() {
    return payloads.secretCreates();
  }

  public synchronized List<Secret> secrets() {
    return payloads.secrets();
  }

  public synchronized List<Config> configs() {
    return payloads.configs();
  }

  @Override
  public synchronized void createSecret(CreateSecretRequest request, StreamObserver<CreateSecretResponse> response) {
    answer("CreateSecret", response, () -> CreateSecretResponse.newBuilder().setSecret(payloads.addSecret(request.getSpec())).build());
  }

  @Override
  public synchronized void getSecret(GetSecretRequest request, StreamObserver<GetSecretResponse> response) {
    answer("GetSecret", response, () -> GetSecretResponse.newBuilder().setSecret(payloads.secret(request.getSecret())).build());
  }

  @Override
  public synchronized void listSecrets(ListSecretsRequest request, StreamObserver<ListSecretsResponse> response) {
    answer("ListSecrets", response, () -> {
      Page<Secret> page = page(payloads.secrets(), Secret::getId, request.getPageToken());
      return ListSecretsResponse.newBuilder().addAllSecrets(page.items()).setNextPageToken(page.next()).build();
    });
  }

  @Override
  public synchronized void deleteSecret(DeleteSecretRequest request, StreamObserver<DeleteSecretResponse> response) {
    answer("DeleteSecret", response, () -> {
      payloads.removeSecret(request.getSecret(), services.values());
      return DeleteSecretResponse.getDefaultInstance();
    });
  }

  @Override
  public synchronized void createConfig(CreateConfigRequest request, StreamObserver<CreateConfigResponse> response) {
    answer("CreateConfig", response, () -> CreateConfigResponse.newBuilder().setConfig(payloads.addConfig(request.getSpec())).build());
  }

  @Override
  public synchronized void getConfig(GetConfigRequest request, StreamObserver<GetConfigResponse> response) {
    answer("GetConfig", response, () -> GetConfigResponse.newBuilder().setConfig(payloads.config(request.getConfig())).build());
  }

  @Override
  public synchronized void listConfigs(ListConfigsRequest request, StreamObserver<ListConfigsResponse> response) {
    answer("ListConfigs", response, () -> {
      Page<Config> page = page(payloads.configs(), Config::getId, request.getPageToken());
      return ListConfigsResponse.newBuilder().addAllConfigs(page.items()).setNextPageToken(page.next()).build();
    });
  }

  @Override
  public synchronized void deleteConfig(DeleteConfigRequest request, StreamObserver<DeleteConfigResponse> response) {
    answer("DeleteConfig", response, () -> {
      payloads.removeConfig(request.getConfig(), services.values());
      return DeleteConfigResponse.getDefaultInstance();
    });
  }

  /** Answers with {@code body}'s result, or the failure set up for {@code rpc}, or the status it threw. */
  /** The CA the fake answers GetClusterCa with. */
  public static final String CA_DIGEST = "sha256:" + "ab".repeat(32);
  public static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  private final java.util.Map<io.shoal.api.v1.NodeRole, Integer> tokenGenerations = new java.util.HashMap<>();

  /** The join token of {@code role} as the fake gives it now (each rotation makes a new one). */
  public synchronized String joinToken(io.shoal.api.v1.NodeRole role) {
    return "SWMTKN-1-" + "0".repeat(50) + "-" + role.getNumber() + "g" + tokenGenerations.getOrDefault(role, 0)
        + "x".repeat(22);
  }

  @Override
  public synchronized void getClusterCa(io.shoal.api.v1.GetClusterCaRequest request,
      StreamObserver<io.shoal.api.v1.GetClusterCaResponse> response) {
    answer("GetClusterCa", response, () -> io.shoal.api.v1.GetClusterCaResponse.newBuilder()
        .setDigest(CA_DIGEST).setCertificatePem(CA_PEM).build());
  }

  @Override
  public synchronized void getJoinToken(io.shoal.api.v1.GetJoinTokenRequest request,
      StreamObserver<io.shoal.api.v1.GetJoinTokenResponse> response) {
    answer("GetJoinToken", response, () -> {
      if (request.getRotate()) {
        tokenGenerations.merge(request.getRole(), 1, Integer::sum);
      }
      return io.shoal.api.v1.GetJoinTokenResponse.newBuilder().setToken(joinToken(request.getRole())).build();
    });
  }

  private <T> void answer(String rpc, StreamObserver<T> response, Supplier<T> body) {
    if (failed(rpc, response)) {
      return;
    }
    T result;
    try {
      result = body.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    response.onNext(result);
    response.onCompleted();
  }

  // ---- the pretend scheduler ---------------------------------------------------------------

  /** One step for every slot (or ready node) of the service. */
  private void schedule(Service service) {
    ServiceSpec spec = service.getSpec();
    List<String> places = new ArrayList<>();
    if (spec.hasGlobal()) {
      nodes.stream()
          .filter(n -> n.getStatus().getState() == NodeState.NODE_STATE_READY)
          .forEach(n -> places.add(n.getId()));
    } else {
      for (long slot = 1; slot <= spec.getReplicated().getReplicas(); slot++) {
        places.add(String.valueOf(slot));
      }
    }
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      if (!t.getServiceId().equals(service.getId())
          || t.getDesiredState() != TaskState.TASK_STATE_RUNNING) {
        continue;
      }
      boolean placeWanted = places.contains(place(t, spec));
      if (!placeWanted || !sameSpec(t.getSpec(), spec)) {
        tasks.set(
            i,
            t.toBuilder()
                .setDesiredState(
                    placeWanted ? TaskState.TASK_STATE_SHUTDOWN : TaskState.TASK_STATE_REMOVE)
                .setStatus(status(TaskState.TASK_STATE_SHUTDOWN, ""))
                .build());
      }
    }
    for (String place : places) {
      Optional<Integer> current = currentTask(service, place);
      if (current.isEmpty()) {
        Task.Builder t =
            Task.newBuilder()
                .setId(newId())
                .setServiceId(service.getId())
                .setServiceName(spec.getName())
                .setSpec(spec)
                .setDesiredState(TaskState.TASK_STATE_RUNNING)
                .setStatus(status(TaskState.TASK_STATE_NEW, ""))
                .setCreateTime(now());
        if (spec.hasGlobal()) {
          t.setNodeId(place);
        } else {
          t.setSlot(Long.parseLong(place));
        }
        tasks.add(t.build());
      } else {
        advance(current.get());
      }
    }
  }

  private void advance(int index) {
    Task t = tasks.get(index);
    TaskState state = t.getStatus().getState();
    if (state == TaskState.TASK_STATE_RUNNING && crashAfterReads > 0 && --crashAfterReads == 0) {
      tasks.set(index, t.toBuilder().setStatus(status(TaskState.TASK_STATE_FAILED, "task: non-zero exit (1)"))
          .setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build());
      return;
    }
    if (state == stopAt || !LIFE.contains(state)) {
      return;
    }
    TaskState next = LIFE.get(LIFE.indexOf(state) + 1);
    Task.Builder b = t.toBuilder().setStatus(status(next, ""));
    if (next == TaskState.TASK_STATE_ASSIGNED && t.getNodeId().isEmpty() && !nodes.isEmpty()) {
      b.setNodeId(nodes.get(0).getId());
    }
    if (next == TaskState.TASK_STATE_RUNNING && failAtStartingWith != null) {
      b.setStatus(status(TaskState.TASK_STATE_FAILED, failAtStartingWith))
          .setDesiredState(TaskState.TASK_STATE_SHUTDOWN);
    }
    tasks.set(index, b.build());
  }

  private Optional<Integer> currentTask(Service service, String place) {
    for (int i = tasks.size() - 1; i >= 0; i--) {
      Task t = tasks.get(i);
      if (t.getServiceId().equals(service.getId())
          && t.getDesiredState() == TaskState.TASK_STATE_RUNNING
          && place(t, service.getSpec()).equals(place)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static String place(Task t, ServiceSpec spec) {
    return spec.hasGlobal() ? t.getNodeId() : String.valueOf(t.getSlot());
  }

  /** What the fake counts as a redeploy: anything but the replica count. */
  private static boolean sameSpec(ServiceSpec a, ServiceSpec b) {
    return a.toBuilder()
        .setReplicated(ReplicatedService.getDefaultInstance())
        .build()
        .equals(b.toBuilder().setReplicated(ReplicatedService.getDefaultInstance()).build());
  }

  // ---- helpers -----------------------------------------------------------------------------

  private Optional<Service> find(String ref) {
    if (services.containsKey(ref)) {
      return Optional.of(services.get(ref));
    }
    Optional<Service> byName =
        services.values().stream().filter(s -> s.getSpec().getName().equals(ref)).findFirst();
    if (byName.isPresent() || ref.isEmpty()) {
      return byName;
    }
    List<Service> byPrefix =
        services.values().stream()
            .filter(s -> s.getId().startsWith(ref))
            .collect(Collectors.toList());
    return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
  }

  private boolean failed(String rpc, StreamObserver<?> response) {
    Status status = failures.remove(rpc);
    if (status == null) {
      return false;
    }
    response.onError(status.asRuntimeException());
    return true;
  }

  private static RuntimeException notFound(String ref) {
    return Status.NOT_FOUND.withDescription("service " + ref + " not found").asRuntimeException();
  }

  private static ServiceSpec pin(ServiceSpec spec) {
    String image = spec.getContainer().getImage();
    if (image.contains("@")) {
      return spec;
    }
    String tagged = image.contains(":") ? image : image + ":latest";
    String digest = String.format("%064x", Math.abs((long) image.hashCode()));
    ServiceSpec.Builder b = spec.toBuilder();
    b.getContainerBuilder().setImage(tagged + "@sha256:" + digest);
    return b.build();
  }

  private TaskStatus status(TaskState state, String err) {
    return TaskStatus.newBuilder().setState(state).setErr(err).setTimestamp(now()).build();
  }

  private Timestamp now() {
    return Timestamps.now(clock);
  }

  /** 25 characters of [a-z0-9], like SwarmKit's ids; seeded, so runs repeat. */
  private String newId() {
    StringBuilder id = new StringBuilder();
    while (id.length() < 25) {
      id.append(ID_CHARS.charAt(ids.nextInt(ID_CHARS.length())));
    }
    return id.toString();
  }
}
