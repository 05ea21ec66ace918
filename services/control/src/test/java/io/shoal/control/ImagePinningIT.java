package io.shoal.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ReplicatedService;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.SealServiceCredentialsRequest;
import io.shoal.api.v1.SealServiceCredentialsResponse;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When control resolves an image and what it does with registry credentials, against a fake
 * registry service that serves whatever digest the test pushed last (the registry side is
 * tested against real registries in services/registry).
 */
class ImagePinningIT {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);
  private static final String PASSWORD = "hunter2-" + System.nanoTime();
  private static final RegistryAuth AUTH = RegistryAuth.newBuilder()
      .setServerAddress("127.0.0.1:5000").setUsername("ci-puller").setPassword(PASSWORD).build();

  /** Serves the digest in {@link #tags}; records every request. */
  static final class FakeRegistryService extends RegistryServiceGrpc.RegistryServiceImplBase {
    final Map<String, String> tags = new ConcurrentHashMap<>();
    final List<ResolveImageRequest> resolves = new CopyOnWriteArrayList<>();
    final Map<String, RegistryAuth> sealed = new ConcurrentHashMap<>();
    volatile Status refuseStore;
    /** Answers every ResolveImage with this status, when set. */
    volatile Status failResolve;

    @Override
    public void resolveImage(ResolveImageRequest request, StreamObserver<ResolveImageResponse> response) {
      resolves.add(request);
      if (failResolve != null) {
        response.onError(failResolve.asRuntimeException());
        return;
      }
      if (request.getImage().contains("INVALID")) {
        response.onError(Status.INVALID_ARGUMENT.withDescription("image: invalid reference \"" + request.getImage()
            + "\": repository name must be lowercase").asRuntimeException());
        return;
      }
      if (request.getValidateOnly()) {
        response.onNext(ResolveImageResponse.newBuilder().setImage(request.getImage()).build());
        response.onCompleted();
        return;
      }
      String digest = tags.get(request.getImage());
      response.onNext(digest == null
          ? ResolveImageResponse.newBuilder().setImage(request.getImage())
              .setWarning("image " + request.getImage() + " could not be accessed on a registry to record its digest.")
              .build()
          : ResolveImageResponse.newBuilder().setImage(request.getImage() + "@" + digest).setDigest(digest).build());
      response.onCompleted();
    }

    /** "Seals" by wrapping the RegistryAuth as it is: the real sealing is tested in services/registry. */
    @Override
    public void sealServiceCredentials(SealServiceCredentialsRequest request,
        StreamObserver<SealServiceCredentialsResponse> response) {
      if (refuseStore != null) {
        response.onError(refuseStore.asRuntimeException());
        return;
      }
      sealed.put(request.getServiceId(), request.getAuth());
      response.onNext(SealServiceCredentialsResponse.newBuilder().setSealed(SealedCredentials.newBuilder()
          .setServerAddress(request.getAuth().getServerAddress()).setCiphertext(request.getAuth().toByteString()))
          .build());
      response.onCompleted();
    }
  }

  private final FakeRegistryService registry = new FakeRegistryService();
  @RegisterExtension final InProcessControl cluster = new InProcessControl(registry);
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  private static ServiceSpec spec(String image) {
    return ServiceSpec.newBuilder().setName("web")
        .setContainer(ContainerSpec.newBuilder().setImage(image))
        .setReplicated(ReplicatedService.newBuilder().setReplicas(2)).build();
  }

  private Service update(Service s, ServiceSpec spec, RegistryAuth auth) {
    UpdateServiceRequest.Builder r = UpdateServiceRequest.newBuilder()
        .setServiceId(s.getId()).setVersion(s.getVersion()).setSpec(spec);
    if (auth != null) {
      r.setRegistryAuth(auth);
    }
    return control.updateService(r.build()).getService();
  }

  private static ServiceSpec withImage(Service s, String image) {
    return s.getSpec().toBuilder().setContainer(s.getSpec().getContainer().toBuilder().setImage(image)).build();
  }

  @Test
  void createPinsTheTagAndStoresTheCredentialsOnlyWithTheRegistryService() {
    registry.tags.put("127.0.0.1:5000/team/app:1", D1);

    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).setRegistryAuth(AUTH).build()).getService();

    assertThat(s.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/app:1@" + D1);
    assertThat(registry.resolves).singleElement().satisfies(r -> {
      assertThat(r.getAuth()).isEqualTo(AUTH);
      assertThat(r.getRefresh()).as("a create resolves the tag afresh, never from the cache").isTrue();
    });
    assertThat(registry.sealed).containsExactly(Map.entry(s.getId(), AUTH));
    assertThat(storedCredentials(s.getId())).hasValue(AUTH);
    assertThat(s.toString()).doesNotContain(PASSWORD);
    byte[] raw = store.listRaw("services/").get(0).getValue().getBytes();
    assertThat(new String(raw, UTF_8)).doesNotContain(PASSWORD).doesNotContain("ci-puller");
  }

  @Test
  void updateImageWithTheSameTagAsksAgainBypassingTheCacheAndPicksUpANewPush() {
    registry.tags.put("127.0.0.1:5000/team/app:1", D1);
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).build()).getService();
    registry.tags.put("127.0.0.1:5000/team/app:1", D2);

    Service updated = update(s, withImage(s, "127.0.0.1:5000/team/app:1"), null);

    assertThat(updated.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/app:1@" + D2);
    assertThat(registry.resolves.get(1).getRefresh()).isTrue();
    assertThat(registry.resolves.get(1).getServiceId()).isEqualTo(s.getId());
    assertThat(registry.resolves.get(1).hasAuth()).isFalse();
  }

  @Test
  void scaleAndEnvUpdatesKeepThePinnedDigestWithoutAskingTheRegistry() {
    registry.tags.put("127.0.0.1:5000/team/app:1", D1);
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).build()).getService();
    registry.tags.put("127.0.0.1:5000/team/app:1", D2);

    Service scaled = update(s, s.getSpec().toBuilder()
        .setReplicated(ReplicatedService.newBuilder().setReplicas(5)).build(), null);
    Service env = update(scaled, scaled.getSpec().toBuilder()
        .setContainer(scaled.getSpec().getContainer().toBuilder().addEnv("A=b")).build(), null);

    assertThat(env.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/app:1@" + D1);
    assertThat(registry.resolves).hasSize(1);
  }

  @Test
  void noResolveImageStoresTheImageAsGiven() {
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).setNoResolveImage(true).build()).getService();

    assertThat(s.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/app:1");
    assertThat(registry.resolves).singleElement().satisfies(r -> assertThat(r.getValidateOnly()).isTrue());
  }

  @Test
  void noResolveImageStillRefusesAMalformedReference() {
    assertThatThrownBy(() -> control.createService(CreateServiceRequest.newBuilder()
            .setSpec(spec("127.0.0.1:5000/team/INVALID:1")).setNoResolveImage(true).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("ContainerSpec.image: invalid reference");
        });
    assertThat(store.list(Tables.SERVICES).items()).isEmpty();
  }

  @Test
  void anUnpinnableImageKeepsTheTagWithTheWarningOnTheService() {
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/gone:1")).build()).getService();

    assertThat(s.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/gone:1");
    assertThat(s.getWarningsList()).singleElement().asString().contains("could not be accessed on a registry");
  }

  @Test
  void anExplicitImageUpdatePinsAnUnpinnedTagOnceItsRegistryAnswers() {
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/late:1")).build()).getService();
    assertThat(s.getWarningsList()).isNotEmpty();
    registry.tags.put("127.0.0.1:5000/team/late:1", D1);

    Service unchanged = update(s, s.getSpec(), null);
    assertThat(unchanged.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/late:1");
    assertThat(registry.resolves).hasSize(1);

    Service pinned = control.updateService(UpdateServiceRequest.newBuilder().setServiceId(s.getId())
        .setVersion(unchanged.getVersion()).setSpec(unchanged.getSpec()).setResolveImage(true).build()).getService();
    assertThat(pinned.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/late:1@" + D1);
    assertThat(pinned.getWarningsList()).isEmpty();
    assertThat(registry.resolves.get(1).getRefresh()).isTrue();
  }

  @Test
  void credentialsThatCannotBeStoredFailTheCreateAndLeaveNoService() {
    registry.refuseStore = Status.FAILED_PRECONDITION.withDescription("the registry service has no cluster key");

    assertThatThrownBy(() -> control.createService(CreateServiceRequest.newBuilder()
            .setSpec(spec("127.0.0.1:5000/team/app:1")).setRegistryAuth(AUTH).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("registry credentials (--with-registry-auth) could not be stored:"
                  + " the registry service has no cluster key");
        });
    assertThat(store.list(Tables.SERVICES).items()).isEmpty();
  }

  @Test
  void credentialsWithoutAUsernameAreInvalidArgumentNamingTheField() {
    assertThatThrownBy(() -> control.createService(CreateServiceRequest.newBuilder()
            .setSpec(spec("127.0.0.1:5000/team/app:1")).setRegistryAuth(AUTH.toBuilder().clearUsername()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("registry_auth.username: must be provided");
        });
    assertThat(registry.sealed).isEmpty();
    assertThat(store.list(Tables.SERVICES).items()).isEmpty();
  }

  @Test
  void updateWithRegistryAuthReplacesTheCredentialsAndDeleteForgetsThem() {
    registry.tags.put("127.0.0.1:5000/team/app:1", D1);
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).setRegistryAuth(AUTH).build()).getService();
    RegistryAuth rotated = AUTH.toBuilder().setPassword("rotated").build();

    Service updated = update(s, s.getSpec().toBuilder()
        .setReplicated(ReplicatedService.newBuilder().setReplicas(3)).build(), rotated);
    assertThat(storedCredentials(s.getId())).hasValue(rotated);
    Service kept = update(updated, updated.getSpec().toBuilder()
        .setReplicated(ReplicatedService.newBuilder().setReplicas(4)).build(), null);
    assertThat(storedCredentials(s.getId())).hasValue(rotated);

    control.deleteService(DeleteServiceRequest.newBuilder().setService(kept.getId()).build());
    assertThat(storedCredentials(s.getId())).isEmpty();
    assertThat(store.listRaw("credentials/")).isEmpty();
  }

  /** What control stored for the service: the fake's "sealed" value is the RegistryAuth itself. */
  private java.util.Optional<RegistryAuth> storedCredentials(String serviceId) {
    return store.get(Tables.CREDENTIALS, serviceId).map(c -> {
      try {
        return RegistryAuth.parseFrom(c.getCiphertext());
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    });
  }

  /**
   * The registry service overflowed its stack on long references and answered UNKNOWN, which
   * control took for "unreachable" and stored the malformed image: only UNAVAILABLE and
   * DEADLINE_EXCEEDED are unreachable; any other failure fails the request naming the image.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anUnknownFromTheRegistryServiceFailsTheCreateNamingTheImageAndStoresNothing(boolean noResolveImage) {
    registry.failResolve = Status.UNKNOWN.withDescription("java.lang.StackOverflowError");

    assertThatThrownBy(() -> control.createService(CreateServiceRequest.newBuilder()
            .setSpec(spec("127.0.0.1:5000/team/app:1")).setNoResolveImage(noResolveImage).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
          assertThat(e.getStatus().getDescription()).isEqualTo("ContainerSpec.image: the registry service could"
              + " not check image \"127.0.0.1:5000/team/app:1\" (UNKNOWN: java.lang.StackOverflowError);"
              + " nothing was stored");
        });
    assertThat(store.list(Tables.SERVICES).items()).isEmpty();
  }

  @Test
  void anInvalidArgumentFromTheRegistryServiceIsInvalidArgumentOnUpdateAndKeepsTheSpec() {
    registry.tags.put("127.0.0.1:5000/team/app:1", D1);
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).build()).getService();
    registry.failResolve = Status.INVALID_ARGUMENT.withDescription("image: invalid reference: too deep");

    assertThatThrownBy(() -> update(s, withImage(s, "127.0.0.1:5000/team/app:2"), null))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("ContainerSpec.image: invalid reference: too deep");
        });
    assertThat(store.get(Tables.SERVICES, s.getId()).orElseThrow()).isEqualTo(s);
  }

  @Test
  void anInternalErrorOnUpdateFailsItAndKeepsTheSpec() {
    registry.tags.put("127.0.0.1:5000/team/app:1", D1);
    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).build()).getService();
    registry.failResolve = Status.INTERNAL.withDescription("internal error; see the server's log");

    assertThatThrownBy(() -> update(s, withImage(s, "127.0.0.1:5000/team/app:2"), null))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
    assertThat(store.get(Tables.SERVICES, s.getId()).orElseThrow()).isEqualTo(s);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "DEADLINE_EXCEEDED"})
  void aRegistryServiceOutOfReachStillCreatesTheServiceWithTheTagAndAWarning(Status.Code code) {
    registry.failResolve = Status.fromCode(code);

    Service s = control.createService(CreateServiceRequest.newBuilder()
        .setSpec(spec("127.0.0.1:5000/team/app:1")).build()).getService();

    assertThat(s.getSpec().getContainer().getImage()).isEqualTo("127.0.0.1:5000/team/app:1");
    assertThat(s.getWarningsList()).singleElement().asString()
        .contains("could not be accessed on a registry").contains("(registry service: " + code);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anOverlongImageIsRefusedBeforeTheRegistryServiceIsAsked(boolean noResolveImage) {
    String image = "a.".repeat(1100) + "io/team/app:1";

    assertThatThrownBy(() -> control.createService(CreateServiceRequest.newBuilder()
            .setSpec(spec(image)).setNoResolveImage(noResolveImage).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("ContainerSpec.image: is 2213 characters long; the limit is 520");
        });
    assertThat(registry.resolves).isEmpty();
    assertThat(store.list(Tables.SERVICES).items()).isEmpty();
  }

  @Test
  void theImagePinnerItselfRefusesAnOverlongImage() {
    ImagePinner pinner = new ImagePinner(cluster.registry);
    String image = "a-".repeat(1100);

    assertThatThrownBy(() -> pinner.pin(image)).isInstanceOf(io.shoal.common.errors.InvalidArgumentException.class);
    assertThatThrownBy(() -> pinner.validate(image)).isInstanceOf(io.shoal.common.errors.InvalidArgumentException.class);
    assertThat(registry.resolves).isEmpty();
  }
}
