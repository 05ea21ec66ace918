package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.CreateServiceResponse;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.GetServiceRequest;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.Protocol;
import io.shoal.api.v1.ProxyProtocol;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ControlService over in-process gRPC, on a real etcd, with a stubbed registry service. */
class ControlServiceIT {
  private static final String DIGEST = "sha256:" + "b".repeat(64);

  /** Pins every tag to DIGEST, except images named "unreachable/…", which it can't. */
  static final class StubRegistryService extends RegistryServiceGrpc.RegistryServiceImplBase {
    int calls;

    @Override
    public void resolveImage(ResolveImageRequest request, StreamObserver<ResolveImageResponse> response) {
      calls++;
      String image = request.getImage();
      ResolveImageResponse.Builder r = ResolveImageResponse.newBuilder().setImage(image);
      if (image.startsWith("unreachable/")) {
        r.setWarning("image " + image + " could not be accessed on a registry to record its digest.");
      } else {
        r.setImage(image + "@" + DIGEST).setDigest(DIGEST);
      }
      response.onNext(r.build());
      response.onCompleted();
    }
  }

  private final StubRegistryService registry = new StubRegistryService();
  @RegisterExtension final InProcessControl cluster = new InProcessControl(registry);
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  private static ServiceSpec spec(String name, String image) {
    return ServiceSpec.newBuilder().setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage(image))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(3)).build();
  }

  private CreateServiceResponse create(ServiceSpec spec) {
    return control.createService(CreateServiceRequest.newBuilder().setSpec(spec).build());
  }

  @Test
  void createPinsTheImageAndStoresTheService() {
    CreateServiceResponse r = create(spec("web", "127.0.0.1:5000/demo/web:1"));

    Service stored = store.get(Tables.SERVICES, r.getService().getId()).orElseThrow();
    assertThat(stored.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/demo/web:1@" + DIGEST);
    assertThat(stored.getVersion()).isEqualTo(r.getService().getVersion());
    assertThat(r.getWarningsList()).isEmpty();
  }

  @Test
  void unreachableRegistryKeepsTheTagWithAWarning() {
    CreateServiceResponse r = create(spec("web", "unreachable/app:1"));

    assertThat(r.getService().getSpec().getContainer().getImage()).isEqualTo("unreachable/app:1");
    assertThat(r.getWarningsList()).singleElement().asString().contains("could not be accessed on a registry");
    assertThat(r.getService().getWarningsList()).isEqualTo(r.getWarningsList());
  }

  @Test
  void duplicateNameIsAlreadyExists() {
    create(spec("web", "a:1"));

    assertThatThrownBy(() -> create(spec("web", "a:1")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
          assertThat(e.getStatus().getDescription()).isEqualTo("service web already exists");
        });
  }

  @Test
  void invalidSpecIsInvalidArgumentWithAFieldViolation() {
    assertThatThrownBy(() -> create(spec("bad name!", "a:1")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          com.google.rpc.Status details = StatusProto.fromThrowable(e);
          assertThat(details.getDetailsList()).singleElement().satisfies(any -> {
            try {
              assertThat(any.unpack(BadRequest.class).getFieldViolations(0).getField()).isEqualTo("ServiceSpec.name");
            } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
              throw new AssertionError(ex);
            }
          });
        });
  }

  @Test
  void updateWithAStaleVersionIsAborted() {
    Service s = create(spec("web", "a:1")).getService();
    ServiceSpec scaled = s.getSpec().toBuilder().setReplicated(ReplicatedService.newBuilder().setReplicas(5)).build();
    control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId()).setVersion(s.getVersion()).setSpec(scaled).build());

    assertThatThrownBy(() -> control.updateService(UpdateServiceRequest.newBuilder()
            .setServiceId(s.getId()).setVersion(s.getVersion()).setSpec(scaled).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
  }

  @Test
  void updateKeepsThePinnedDigestUnlessTheImageChanges() {
    Service s = create(spec("web", "a:1")).getService();
    int calls = registry.calls;
    ServiceSpec envChanged = s.getSpec().toBuilder()
        .setContainer(s.getSpec().getContainer().toBuilder().addEnv("GREETING=bye")).build();

    Service updated = control.updateService(UpdateServiceRequest.newBuilder()
        .setServiceId(s.getId()).setVersion(s.getVersion()).setSpec(envChanged).build()).getService();

    assertThat(registry.calls).isEqualTo(calls);
    assertThat(updated.getSpec().getContainer().getImage()).isEqualTo("a:1@" + DIGEST);
    assertThat(updated.getPreviousSpec()).isEqualTo(s.getSpec());

    ServiceSpec newImage = updated.getSpec().toBuilder()
        .setContainer(updated.getSpec().getContainer().toBuilder().setImage("a:2")).build();
    Service reimaged = control.updateService(UpdateServiceRequest.newBuilder()
        .setServiceId(s.getId()).setVersion(updated.getVersion()).setSpec(newImage).build()).getService();
    assertThat(reimaged.getSpec().getContainer().getImage()).isEqualTo("a:2@" + DIGEST);
  }

  @Test
  void proxyProtocolV2OnAUdpPortIsStoredAndV1IsInvalidArgument() {
    PortConfig dns = PortConfig.newBuilder().setTargetPort(53).setPublishedPort(5353)
        .setProtocol(Protocol.PROTOCOL_UDP).setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V2).build();

    Service created = create(spec("dns", "a:1").toBuilder()
        .setEndpoint(EndpointSpec.newBuilder().addPorts(dns)).build()).getService();

    assertThat(store.get(Tables.SERVICES, created.getId()).orElseThrow().getSpec().getEndpoint()
        .getPorts(0).getProxyProtocol()).isEqualTo(ProxyProtocol.PROXY_PROTOCOL_V2);
    PortConfig v1 = dns.toBuilder().setPublishedPort(5354)
        .setProxyProtocol(ProxyProtocol.PROXY_PROTOCOL_V1).build();
    assertThatThrownBy(() -> create(spec("dns1", "a:1").toBuilder()
            .setEndpoint(EndpointSpec.newBuilder().addPorts(v1)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("53/udp", "use proxy-protocol=v2");
        });
  }

  @Test
  void ingressPortOfAnotherServiceIsFailedPreconditionNamingIt() {
    create(spec("web", "a:1").toBuilder().setEndpoint(EndpointSpec.newBuilder()
        .addPorts(PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080))).build());

    assertThatThrownBy(() -> create(spec("api", "a:1").toBuilder().setEndpoint(EndpointSpec.newBuilder()
            .addPorts(PortConfig.newBuilder().setTargetPort(81).setPublishedPort(8080))).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("already published by service web");
        });
  }

  @Test
  void targetOnlyIngressPortGetsADynamicPublishedPort() {
    Service s = create(spec("web", "a:1").toBuilder().setEndpoint(EndpointSpec.newBuilder()
        .addPorts(PortConfig.newBuilder().setTargetPort(80))).build()).getService();

    assertThat(s.getSpec().getEndpoint().getPorts(0).getPublishedPort()).isBetween(30000, 32767);
  }

  @Test
  void deleteRemovesServiceAndFreesItsNameAndPorts() {
    ServiceSpec withPort = spec("web", "a:1").toBuilder().setEndpoint(EndpointSpec.newBuilder()
        .addPorts(PortConfig.newBuilder().setTargetPort(80).setPublishedPort(8080))).build();
    create(withPort);

    control.deleteService(DeleteServiceRequest.newBuilder().setService("web").build());

    assertThatThrownBy(() -> control.getService(GetServiceRequest.newBuilder().setService("web").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(create(withPort).getService().getSpec().getName()).isEqualTo("web");
  }

  @Test
  void getFindsByNameAndByIdPrefix() {
    Service s = create(spec("web", "a:1")).getService();

    assertThat(control.getService(GetServiceRequest.newBuilder().setService("web").build()).getService().getId())
        .isEqualTo(s.getId());
    assertThat(control.getService(GetServiceRequest.newBuilder().setService(s.getId().substring(0, 6)).build())
        .getService().getId()).isEqualTo(s.getId());
  }
}
