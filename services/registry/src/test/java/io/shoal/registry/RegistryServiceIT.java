package io.shoal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.RegistryServiceGrpc;
import io.shoal.api.v1.ResolveImageRequest;
import io.shoal.api.v1.ResolveImageResponse;
import io.shoal.common.store.EtcdStore;
import io.shoal.registry.credentials.ClusterKey;
import io.shoal.registry.credentials.CredentialStore;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import io.shoal.testing.InProcessGrpcExtension;
import io.shoal.testing.ExternalProcess;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RegistryService over in-process gRPC against real {@code docker-registry}s: one open, one with
 * htpasswd basic auth. Images are pushed with the real docker CLI.
 */
@Tag("docker")
@ExtendWith({EtcdExtension.class, DockerExtension.class, RegistryExtension.class})
class RegistryServiceIT {
  private static final String USER = "shoal";
  private static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());
  private static RegistryTestServer secured;

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();
  private EtcdStore store;
  private RegistryServiceGrpc.RegistryServiceBlockingStub registry;

  @BeforeAll
  static void startSecuredRegistry() {
    secured = RegistryTestServer.startWithBasicAuth(USER, PASSWORD);
  }

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    ImageResolver resolver = new ImageResolver(new ManifestResolver(Set.of(), Duration.ofSeconds(5)),
        new ResolutionCache(Duration.ofMinutes(10), Clock.systemUTC()));
    registry = RegistryServiceGrpc.newBlockingStub(grpc.serve(
        new RegistryGrpcService(resolver, new CredentialStore(store, Optional.of(ClusterKey.generate())))));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private ResolveImageResponse resolve(String image) {
    return registry.resolveImage(ResolveImageRequest.newBuilder().setImage(image).build());
  }

  private ResolveImageResponse resolve(String image, RegistryAuth auth, boolean refresh) {
    return registry.resolveImage(ResolveImageRequest.newBuilder().setImage(image).setAuth(auth)
        .setRefresh(refresh).build());
  }

  private static RegistryAuth login(String password) {
    return RegistryAuth.newBuilder().setServerAddress(secured.address()).setUsername(USER).setPassword(password).build();
  }

  /** As control stores them: sealed by the registry service, written with the service. */
  private void storeCredentials(String serviceId, RegistryAuth auth) {
    io.shoal.api.v1.SealedCredentials sealed = registry.sealServiceCredentials(
        io.shoal.api.v1.SealServiceCredentialsRequest.newBuilder().setServiceId(serviceId).setAuth(auth).build())
        .getSealed();
    store.txn().create(io.shoal.common.store.Tables.CREDENTIALS, serviceId, sealed).commit();
  }

  private static String digestOf(String pinned) {
    return pinned.substring(pinned.indexOf('@') + 1);
  }

  @Test
  void aTagIsPinnedToTheDigestTheRegistryServes(DockerTestEngine docker, RegistryTestServer open) {
    String pushed = TestImages.busybox(open.image("shoal-test/resolve") + ":1").file("/v", "1").push(docker);

    ResolveImageResponse r = resolve(open.image("shoal-test/resolve") + ":1");

    assertThat(r.getDigest()).isEqualTo(digestOf(pushed));
    assertThat(r.getImage()).isEqualTo(pushed);
    assertThat(r.getWarning()).isEmpty();
  }

  @Test
  void aNewPushIsSeenOnRefreshWhileTheCacheStillServesTheOldDigest(DockerTestEngine docker, RegistryTestServer open) {
    String tag = open.image("shoal-test/repush") + ":1";
    String first = TestImages.busybox(tag).file("/v", "1").push(docker);
    assertThat(resolve(tag).getDigest()).isEqualTo(digestOf(first));

    String second = TestImages.busybox(tag).file("/v", "2").push(docker);
    assertThat(digestOf(second)).isNotEqualTo(digestOf(first));

    assertThat(resolve(tag).getDigest()).isEqualTo(digestOf(first));
    ResolveImageResponse refreshed = registry.resolveImage(
        ResolveImageRequest.newBuilder().setImage(tag).setRefresh(true).build());
    assertThat(refreshed.getDigest()).isEqualTo(digestOf(second));
    assertThat(resolve(tag).getDigest()).isEqualTo(digestOf(second));
  }

  @Test
  void aDigestGivenIsUsedAsGivenWithoutAskingAnyRegistry() {
    int nobody = ExternalProcess.freePort();
    String image = "127.0.0.1:" + nobody + "/team/app:1@sha256:" + "e".repeat(64);

    ResolveImageResponse r = resolve(image);

    assertThat(r.getImage()).isEqualTo(image);
    assertThat(r.getDigest()).isEqualTo("sha256:" + "e".repeat(64));
    assertThat(r.getWarning()).isEmpty();
  }

  @Test
  void anUnreachableRegistryGivesSwarmsWarningAndTheTag() {
    String registryHost = "127.0.0.1:" + ExternalProcess.freePort();

    ResolveImageResponse r = resolve(registryHost + "/team/app:1");

    assertThat(r.getImage()).isEqualTo(registryHost + "/team/app:1");
    assertThat(r.getDigest()).isEmpty();
    assertThat(r.getWarning())
        .startsWith("image " + registryHost + "/team/app:1 could not be accessed on a registry to record its digest.")
        .contains("registry " + registryHost + " unreachable: ")
        .doesNotContain("null");
  }

  @Test
  void basicAuthRegistryPinsWithTheRightLogin(DockerTestEngine docker) {
    String pushed = TestImages.busybox(secured.image("shoal-test/private") + ":1").credentials(secured).push(docker);

    ResolveImageResponse r = resolve(secured.image("shoal-test/private") + ":1", login(PASSWORD), false);

    assertThat(r.getDigest()).isEqualTo(digestOf(pushed));
    assertThat(r.getWarning()).isEmpty();
  }

  @Test
  void basicAuthRegistryWithoutALoginWarnsNamingTheRegistryAndTheFix() {
    ResolveImageResponse r = resolve(secured.image("shoal-test/private") + ":1");

    assertThat(r.getDigest()).isEmpty();
    assertThat(r.getWarning()).contains("could not be accessed on a registry")
        .contains("registry " + secured.address() + " requires a login (HTTP basic auth")
        .contains("shoal login " + secured.address());
  }

  @Test
  void aWrongPasswordWarnsNamingTheRegistryTheUserAndTheReasonButNotThePassword() {
    ResolveImageResponse r = resolve(secured.image("shoal-test/private") + ":1", login("not-" + PASSWORD), false);

    assertThat(r.getDigest()).isEmpty();
    assertThat(r.getWarning())
        .contains("registry " + secured.address() + " refused the credentials of user " + USER)
        .contains("wrong username or password")
        .doesNotContain(PASSWORD);
  }

  @Test
  void credentialsForAnotherRegistryAreNotSent() {
    RegistryAuth elsewhere = login(PASSWORD).toBuilder().setServerAddress("registry.example.com").build();

    ResolveImageResponse r = resolve(secured.image("shoal-test/private") + ":1", elsewhere, false);

    assertThat(r.getWarning()).contains("requires a login");
  }

  @Test
  void anUpdateWithoutALoginResolvesWithTheCredentialsStoredForTheService(DockerTestEngine docker) {
    String pushed = TestImages.busybox(secured.image("shoal-test/stored") + ":1").credentials(secured).push(docker);
    storeCredentials("svc-stored", login(PASSWORD));

    ResolveImageResponse r = registry.resolveImage(ResolveImageRequest.newBuilder()
        .setImage(secured.image("shoal-test/stored") + ":1").setServiceId("svc-stored").setRefresh(true).build());

    assertThat(r.getDigest()).isEqualTo(digestOf(pushed));
  }

  @Test
  void pullCredentialsForACallerWithoutTheNodesSessionArePermissionDenied() {
    storeCredentials("svc-1", login(PASSWORD));

    assertThatThrownBy(() -> registry.getPullCredentials(io.shoal.api.v1.GetPullCredentialsRequest.newBuilder()
            .setNodeId("node-x").setSessionSecret("guessed").setTaskId("task-1").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).doesNotContain(PASSWORD);
        });
  }

  @Test
  void credentialsWithoutAUsernameAreInvalidArgumentNamingTheField() {
    assertThatThrownBy(() -> registry.sealServiceCredentials(io.shoal.api.v1.SealServiceCredentialsRequest.newBuilder()
            .setServiceId("svc-1").setAuth(RegistryAuth.newBuilder().setServerAddress(secured.address())).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("auth.username: must be provided");
        });
  }

  @Test
  void validateOnlyAsksNoRegistryAndStillRefusesMalformedReferences() {
    String unreachable = "127.0.0.1:" + ExternalProcess.freePort() + "/team/app:1";

    ResolveImageResponse r = registry.resolveImage(
        ResolveImageRequest.newBuilder().setImage(unreachable).setValidateOnly(true).build());

    assertThat(r.getImage()).isEqualTo(unreachable);
    assertThat(r.getWarning()).isEmpty();
    assertThatThrownBy(() -> registry.resolveImage(
            ResolveImageRequest.newBuilder().setImage("team/App:1").setValidateOnly(true).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void aKilobyteReferenceIsInvalidArgumentNamingItNotAnInternalError() {
    String ref = "a.".repeat(1000) + "a/app";

    assertThatThrownBy(() -> resolve(ref))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .startsWith("image: invalid reference \"" + ref.substring(0, 64))
              .contains("longer than 520 characters");
        });
  }

  @Test
  void aMalformedReferenceIsInvalidArgument() {
    assertThatThrownBy(() -> resolve("Busybox"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("image: invalid reference \"Busybox\"");
        });
  }
}
