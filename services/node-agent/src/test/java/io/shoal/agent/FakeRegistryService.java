package io.shoal.agent;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.GetPullCredentialsRequest;
import io.shoal.api.v1.GetPullCredentialsResponse;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.RegistryServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * The registry service's GetPullCredentials on a loopback port: hands out the credentials set
 * for a task id when {@code allowed} accepts the caller's node id and session secret, and answers
 * PERMISSION_DENIED otherwise (the real checks against etcd are tested in services/registry).
 */
final class FakeRegistryService extends RegistryServiceGrpc.RegistryServiceImplBase implements AutoCloseable {
  final Map<String, RegistryAuth> credentialsByTask = new ConcurrentHashMap<>();
  final List<GetPullCredentialsRequest> requests = new CopyOnWriteArrayList<>();
  private final BiPredicate<String, String> allowed;
  private final Server server;

  FakeRegistryService(BiPredicate<String, String> allowed) {
    this.allowed = allowed;
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void getPullCredentials(GetPullCredentialsRequest request,
      StreamObserver<GetPullCredentialsResponse> response) {
    requests.add(request);
    if (!allowed.test(request.getNodeId(), request.getSessionSecret())) {
      response.onError(Status.PERMISSION_DENIED.withDescription("pull credentials refused: not this node's session")
          .asRuntimeException());
      return;
    }
    GetPullCredentialsResponse.Builder r = GetPullCredentialsResponse.newBuilder();
    RegistryAuth auth = credentialsByTask.get(request.getTaskId());
    if (auth != null) {
      r.setAuth(auth);
    }
    response.onNext(r.build());
    response.onCompleted();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
