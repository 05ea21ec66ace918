package io.shoal.meshproxy.bench;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.LoadBalancing;
import io.shoal.api.v1.PortBinding;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.PublishMode;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.time.Instant;

/**
 * Seeds etcd for {@code bench/mesh.sh}: a service publishing one TCP port in ingress mode and
 * one RUNNING task whose endpoint is the benchmark's backend, written as control and the
 * dispatcher would, so a standalone mesh-proxy serves the port without a cluster.
 *
 * <pre>
 * BenchRoute ETCD_ENDPOINTS ETCD_PREFIX PUBLISHED_PORT BACKEND_HOST BACKEND_PORT [UDP_PUBLISHED UDP_BACKEND_PORT]
 * </pre>
 *
 * <p>With the two optional arguments the service also publishes a UDP port (target 53) whose
 * task binding is BACKEND_HOST:UDP_BACKEND_PORT ({@code bench/mesh-abuse.sh}'s UDP flood).
 */
public final class BenchRoute {
  private BenchRoute() {}

  public static void main(String[] args) {
    if (args.length != 5 && args.length != 7) {
      System.err.println("usage: BenchRoute ETCD_ENDPOINTS ETCD_PREFIX PUBLISHED_PORT "
          + "BACKEND_HOST BACKEND_PORT [UDP_PUBLISHED UDP_BACKEND_PORT]");
      System.exit(2);
    }
    int published = Integer.parseInt(args[2]);
    int backendPort = Integer.parseInt(args[4]);
    Instant now = Instant.now();
    EndpointSpec.Builder endpoint = EndpointSpec.newBuilder()
        .setLoadBalancing(LoadBalancing.LOAD_BALANCING_ROUND_ROBIN)
        .addPorts(PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_TCP)
            .setTargetPort(80).setPublishedPort(published)
            .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS));
    TaskStatus.Builder status = TaskStatus.newBuilder().setState(TaskState.TASK_STATE_RUNNING)
        .addPorts(PortBinding.newBuilder().setProtocol(Protocol.PROTOCOL_TCP)
            .setTargetPort(80).setHostIp(args[3]).setHostPort(backendPort)
            .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS));
    if (args.length == 7) {
      endpoint.addPorts(PortConfig.newBuilder().setProtocol(Protocol.PROTOCOL_UDP)
          .setTargetPort(53).setPublishedPort(Integer.parseInt(args[5]))
          .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS));
      status.addPorts(PortBinding.newBuilder().setProtocol(Protocol.PROTOCOL_UDP)
          .setTargetPort(53).setHostIp(args[3]).setHostPort(Integer.parseInt(args[6]))
          .setPublishMode(PublishMode.PUBLISH_MODE_INGRESS));
    }
    Service service = Service.newBuilder().setId("bench")
        .setCreateTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setSpec(ServiceSpec.newBuilder().setName("bench").setEndpoint(endpoint))
        .build();
    Task task = Task.newBuilder().setId("bench-1").setServiceId("bench").setSlot(1)
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(status)
        .build();
    try (EtcdStore store = EtcdStore.connect(args[0], args[1])) {
      store.txn().create(Tables.SERVICES, "bench", service)
          .create(Tables.TASKS, "bench-1", task).commit();
    }
    System.out.println("seeded service bench: " + published + "/tcp -> " + args[3] + ":"
        + backendPort);
  }
}
