package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.EndpointSpec;
import io.shoal.api.v1.PortConfig;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.registry.ImageResolver;
import io.shoal.registry.ManifestResolver;
import io.shoal.registry.RegistryGrpcService;
import io.shoal.registry.ResolutionCache;
import io.shoal.registry.credentials.ClusterKey;
import io.shoal.registry.credentials.CredentialStore;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Registry credentials live and die with their service's transaction: control and the real
 * registry service (sealing with a real cluster key, each on its own etcd connection, over
 * in-process gRPC) against a real etcd. It lives in e2e, the one module that may hold two
 * services: control never depends on the registry service's module.
 */
@ExtendWith(EtcdExtension.class)
class ServiceCredentialsIT {
  private static final String IMAGE = "127.0.0.1:5000/team/app:1";
  private static final RegistryAuth OLD = RegistryAuth.newBuilder()
      .setServerAddress("127.0.0.1:5000").setUsername("ci").setPassword("old-" + System.nanoTime()).build();
  private static final RegistryAuth NEW = OLD.toBuilder().setPassword("new-" + System.nanoTime()).build();

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  private EtcdStore controlStore;
  private EtcdStore registryStore;
  private CredentialStore credentials;
  private ServiceManager manager;
  private ControlServiceGrpc.ControlServiceBlockingStub control;
  /** Runs once, on control's thread, when the registry service is next asked to seal credentials. */
  private volatile Runnable beforeNextSeal;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    String root = etcd.newRoot();
    controlStore = EtcdStore.connect(etcd.endpoints(), root);
    registryStore = EtcdStore.connect(etcd.endpoints(), root);
    credentials = new CredentialStore(registryStore, Optional.of(ClusterKey.generate()));
    ImageResolver resolver = new ImageResolver(new ManifestResolver(Set.of(), Duration.ofSeconds(2)),
        new ResolutionCache(Duration.ZERO, Clock.systemUTC()));
    ManagedChannel registry =
        grpc.serve(() -> ServerInterceptors.intercept(new RegistryGrpcService(resolver, credentials), sealHook()));
    manager = new ServiceManager(controlStore, new ImagePinner(registry), Clock.systemUTC());
    control = ControlServiceGrpc.newBlockingStub(grpc.serve(new ControlGrpcService(manager)));
  }

  @AfterEach
  void stop() {
    controlStore.close();
    registryStore.close();
  }

  private ServerInterceptor sealHook() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        Runnable hook = beforeNextSeal;
        if (hook != null
            && call.getMethodDescriptor().getFullMethodName()
                .equals(RegistryServiceGrpc.getSealServiceCredentialsMethod().getFullMethodName())) {
          beforeNextSeal = null;
          hook.run();
        }
        return next.startCall(call, headers);
      }
    };
  }

  private static ServiceSpec spec(String name, int publishedPort) {
    ServiceSpec.Builder b = ServiceSpec.newBuilder().setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage(IMAGE))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(1));
    if (publishedPort > 0) {
      b.setEndpoint(EndpointSpec.newBuilder()
          .addPorts(PortConfig.newBuilder().setTargetPort(80).setPublishedPort(publishedPort)));
    }
    return b.build();
  }

  private Service create(ServiceSpec spec, RegistryAuth auth) {
    CreateServiceRequest.Builder r = CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(true);
    if (auth != null) {
      r.setRegistryAuth(auth);
    }
    return control.createService(r.build()).getService();
  }

  private Service update(Service s, ServiceSpec spec, RegistryAuth auth) {
    return control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId())
        .setVersion(s.getVersion()).setSpec(spec).setNoResolveImage(true).setRegistryAuth(auth).build())
        .getService();
  }

  private static ServiceSpec scaled(Service s, int replicas) {
    return s.getSpec().toBuilder().setReplicated(ReplicatedService.newBuilder().setReplicas(replicas)).build();
  }

  @Test
  void anUpdateWithANewLoginReplacesTheCredentialsWithTheSpec() {
    Service s = create(spec("web", 0), OLD);
    assertThat(credentials.get(s.getId())).hasValue(OLD);

    update(s, scaled(s, 2), NEW);

    assertThat(credentials.get(s.getId())).hasValue(NEW);
  }

  @Test
  void anUpdateAbortedByAConcurrentChangeKeepsTheOldCredentials() {
    Service s = create(spec("web", 0), OLD);
    // Another writer changes the service after control read it, while the new login is sealed.
    beforeNextSeal = () -> manager.update(s.getId(), s.getVersion(), scaled(s, 3), ServiceManager.ImageOptions.NO_RESOLVE);

    assertThatThrownBy(() -> update(s, scaled(s, 2), NEW))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));

    assertThat(credentials.get(s.getId())).hasValue(OLD);
    assertThat(controlStore.get(Tables.SERVICES, s.getId()).orElseThrow().getSpec().getReplicated().getReplicas())
        .isEqualTo(3);
  }

  @Test
  void anUpdateRefusedForAPortConflictKeepsTheOldCredentials() {
    create(spec("other", 18080), null);
    Service s = create(spec("web", 0), OLD);

    assertThatThrownBy(() -> update(s, spec("web", 18080), NEW))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("already published by service other");
        });

    assertThat(credentials.get(s.getId())).hasValue(OLD);
  }

  @Test
  void aCreateWhoseTransactionFailsLeavesNoCredentialsBehind() {
    create(spec("web", 0), null);
    create(spec("other", 18081), null);

    assertThatThrownBy(() -> create(spec("web", 0), NEW))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    assertThatThrownBy(() -> create(spec("third", 18081), NEW))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));

    assertThat(registryStore.listRaw("credentials/")).isEmpty();
    assertThat(new OrphanCredentialSweeper(controlStore, Duration.ofMinutes(10), Telemetry.noop()).sweep()).isZero();
    assertThat(registryStore.listRaw("credentials/")).isEmpty();
  }

  @Test
  void deleteRemovesTheCredentialsInTheSameTransaction() {
    Service s = create(spec("web", 0), OLD);

    control.deleteService(DeleteServiceRequest.newBuilder().setService(s.getId()).build());

    assertThat(credentials.get(s.getId())).isEmpty();
    assertThat(registryStore.listRaw("credentials/")).isEmpty();
  }

  /** What a crash between the two writes of a delete left behind before they were one transaction. */
  @Test
  void theCredentialsOfAServiceRemovedWithoutThemAreSwept() {
    Service gone = create(spec("gone", 0), OLD);
    Service kept = create(spec("kept", 0), OLD);
    controlStore.txn().delete(Tables.SERVICES, gone.getId(), gone.getVersion()).commit();

    int removed = new OrphanCredentialSweeper(controlStore, Duration.ofMinutes(10), Telemetry.noop()).sweep();

    assertThat(removed).isEqualTo(1);
    assertThat(credentials.get(gone.getId())).isEmpty();
    assertThat(credentials.get(kept.getId())).hasValue(OLD);
  }
}
