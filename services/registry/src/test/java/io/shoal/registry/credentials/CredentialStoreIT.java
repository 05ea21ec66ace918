package io.shoal.registry.credentials;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.KeyValue;
import io.grpc.Status;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.NodeSession;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.api.v1.SealedCredentials;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sealed credentials in a real etcd, and who may have them back. */
@ExtendWith(EtcdExtension.class)
class CredentialStoreIT {
  private static final String PASSWORD = "pa55-W0rd-that-must-never-show";
  private static final String USER = "deploy-bot";
  private static final RegistryAuth AUTH = RegistryAuth.newBuilder()
      .setServerAddress("http://127.0.0.1:5000/").setUsername(USER).setPassword(PASSWORD).build();

  private EtcdStore store;
  private CredentialStore credentials;

  @BeforeEach
  void start(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
    credentials = new CredentialStore(store, Optional.of(ClusterKey.generate()));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  @Test
  void storedCredentialsAreNotReadableInEtcd() {
    storeSealed("svc1", AUTH);

    List<KeyValue> raw = store.listRaw("credentials/");
    assertThat(raw).singleElement().satisfies(kv -> {
      assertThat(kv.getKey().toString(UTF_8)).endsWith("credentials/svc1");
      byte[] value = kv.getValue().getBytes();
      String asText = new String(value, UTF_8);
      assertThat(asText).doesNotContain(PASSWORD).doesNotContain(USER)
          .doesNotContain(java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(UTF_8)));
      assertThat(indexOf(value, PASSWORD.getBytes(UTF_8))).isEqualTo(-1);
      assertThat(asText).contains("127.0.0.1:5000");
    });
    assertThat(credentials.get("svc1")).contains(AUTH.toBuilder().setServerAddress("127.0.0.1:5000").build());
  }

  @Test
  void sealingTwiceGivesDifferentBytes() {
    SealedCredentials first = credentials.seal("svc1", AUTH);
    SealedCredentials second = credentials.seal("svc1", AUTH);

    assertThat(second.getNonce()).isNotEqualTo(first.getNonce());
    assertThat(second.getCiphertext()).isNotEqualTo(first.getCiphertext());
  }

  @Test
  void sealingWritesNothing() {
    credentials.seal("svc1", AUTH);

    assertThat(store.listRaw("credentials/")).isEmpty();
  }

  @Test
  void anotherClusterKeyCannotOpenThemAndSaysWhichKeyIsNeeded() {
    storeSealed("svc1", AUTH);
    ClusterKey other = ClusterKey.generate();

    assertThatThrownBy(() -> new CredentialStore(store, Optional.of(other)).get("svc1"))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("service svc1")
        .hasMessageContaining("this registry service has key " + other.id());
  }

  @Test
  void aValueMovedToAnotherServiceDoesNotOpen() {
    storeSealed("svc1", AUTH);
    byte[] sealed = store.listRaw("credentials/").get(0).getValue().getBytes();
    store.txn().putBytes("credentials/svc2", sealed, 0).commit();

    assertThatThrownBy(() -> credentials.get("svc2"))
        .hasMessageContaining("cannot be decrypted");
  }

  @Test
  void withoutAClusterKeyStoringIsAFailedPreconditionThatSaysHowToFixIt() {
    CredentialStore keyless = new CredentialStore(store, Optional.empty());

    assertThatThrownBy(() -> keyless.seal("svc1", AUTH))
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("--cluster-key-file");
  }

  @Test
  void theNodeRunningTheTaskGetsThemWithItsLiveSession() {
    storeSealed("svc1", AUTH);
    session("node-a", "session-a");
    task("t1", "svc1", "node-a", "127.0.0.1:5000/team/app:1@sha256:" + "d".repeat(64));

    assertThat(credentials.forPull("node-a", "session-a", "t1")).hasValueSatisfying(a -> {
      assertThat(a.getUsername()).isEqualTo(USER);
      assertThat(a.getPassword()).isEqualTo(PASSWORD);
    });
  }

  @Test
  void anotherNodeOrAnOldSessionIsDenied() {
    storeSealed("svc1", AUTH);
    session("node-a", "session-a");
    session("node-b", "session-b");
    task("t1", "svc1", "node-a", "127.0.0.1:5000/team/app:1");

    assertDenied(() -> credentials.forPull("node-b", "session-b", "t1"), "not assigned to node node-b");
    assertDenied(() -> credentials.forPull("node-a", "session-b", "t1"), "no live dispatcher session");
    assertDenied(() -> credentials.forPull("node-c", "session-a", "t1"), "no live dispatcher session");
    assertDenied(() -> credentials.forPull("node-a", "session-a", "t-missing"), "does not exist");
    // What etcd holds (the session id, the secret's hash) does not pass for the secret.
    assertDenied(() -> credentials.forPull("node-a", "id-node-a", "t1"), "no live dispatcher session");
    assertDenied(() -> credentials.forPull("node-a",
        java.util.HexFormat.of().formatHex(CredentialStore.sha256("session-a")), "t1"), "no live dispatcher session");
  }

  @Test
  void aTaskThatShouldStopGetsNothing() {
    storeSealed("svc1", AUTH);
    session("node-a", "session-a");
    store.txn().create(Tables.TASKS, "t1", taskOf("t1", "svc1", "node-a", "127.0.0.1:5000/team/app:1").toBuilder()
        .setDesiredState(TaskState.TASK_STATE_SHUTDOWN).build()).commit();

    assertDenied(() -> credentials.forPull("node-a", "session-a", "t1"), "not meant to run");
  }

  @Test
  void credentialsForAnotherRegistryOrNoneAtAllGiveAnEmptyAnswer() {
    storeSealed("svc1", AUTH);
    session("node-a", "session-a");
    task("t1", "svc1", "node-a", "registry.example.com/team/app:1");
    task("t2", "svc2", "node-a", "127.0.0.1:5000/team/app:1");

    assertThat(credentials.forPull("node-a", "session-a", "t1")).isEmpty();
    assertThat(credentials.forPull("node-a", "session-a", "t2")).isEmpty();
  }

  private void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String why) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ShoalException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining(why)
        .hasMessageNotContaining(PASSWORD);
  }

  /** As control stores them: sealed by the registry service, written with the service. */
  private void storeSealed(String serviceId, RegistryAuth auth) {
    store.txn().create(Tables.CREDENTIALS, serviceId, credentials.seal(serviceId, auth)).commit();
  }

  /** A session as the dispatcher writes it: the secret's hash only. */
  private void session(String nodeId, String secret) {
    store.txn().putBytes("sessions/" + nodeId, NodeSession.newBuilder().setNodeId(nodeId).setSessionId("id-" + nodeId)
        .setSessionSecretSha256(com.google.protobuf.ByteString.copyFrom(CredentialStore.sha256(secret)))
        .build().toByteArray(), 0).commit();
  }

  private void task(String id, String serviceId, String nodeId, String image) {
    store.txn().create(Tables.TASKS, id, taskOf(id, serviceId, nodeId, image)).commit();
  }

  private static Task taskOf(String id, String serviceId, String nodeId, String image) {
    return Task.newBuilder().setId(id).setServiceId(serviceId).setNodeId(nodeId).setSlot(1)
        .setSpec(ServiceSpec.newBuilder().setName(serviceId).setContainer(ContainerSpec.newBuilder().setImage(image)))
        .setDesiredState(TaskState.TASK_STATE_RUNNING)
        .setStatus(TaskStatus.newBuilder().setState(TaskState.TASK_STATE_PREPARING))
        .build();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
