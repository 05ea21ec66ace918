package io.shoal.control;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.etcd.jetcd.KeyValue;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateSecretRequest;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteSecretRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.GetSecretRequest;
import io.shoal.api.v1.GetServiceRequest;
import io.shoal.api.v1.ListSecretsRequest;
import io.shoal.api.v1.ListSecretsResponse;
import io.shoal.api.v1.ListServicesRequest;
import io.shoal.api.v1.Payload;
import io.shoal.api.v1.Secret;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.SecretSpec;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.UpdateServiceRequest;
import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.control.secret.SecretManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The secret RPCs and services using secrets, on a real etcd: names unique, data bounded, sealed
 * in etcd and never answered, removal refused while a service uses the secret.
 */
class SecretApiIT {
  private static final String VALUE = "s3cr3t-value-7f3a9c";
  @RegisterExtension final InProcessControl cluster = new InProcessControl();
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  private Secret create(String name, String value) {
    return create(SecretSpec.newBuilder().setName(name).setData(ByteString.copyFromUtf8(value)).build());
  }

  private Secret create(SecretSpec spec) {
    return control.createSecret(CreateSecretRequest.newBuilder().setSpec(spec).build()).getSecret();
  }

  private Secret get(String reference) {
    return control.getSecret(GetSecretRequest.newBuilder().setSecret(reference).build()).getSecret();
  }

  private void delete(String reference) {
    control.deleteSecret(DeleteSecretRequest.newBuilder().setSecret(reference).build());
  }

  private static ServiceSpec service(String name, SecretReference... secrets) {
    return ServiceSpec.newBuilder().setName(name)
        .setContainer(ContainerSpec.newBuilder().setImage("busybox:1")).addAllSecrets(List.of(secrets)).build();
  }

  private static SecretReference byName(String name) {
    return SecretReference.newBuilder().setSecretName(name).build();
  }

  private Service createService(ServiceSpec spec) {
    return control.createService(CreateServiceRequest.newBuilder().setSpec(spec).setNoResolveImage(true).build())
        .getService();
  }

  private static void assertStatus(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).isEqualTo(message);
    });
  }

  private static void assertNoValue(Message answer) {
    assertThat(answer.toByteString().toStringUtf8()).doesNotContain(VALUE);
    assertThat(answer.toString()).doesNotContain(VALUE);
  }

  @Test
  void aSecretIsStoredAsMetadataWithItsDataSealedUnderItsId() {
    Secret s = create(SecretSpec.newBuilder().setName("db-password").putLabels("team", "a")
        .setData(ByteString.copyFromUtf8(VALUE)).build());

    assertThat(s.getId()).hasSize(25);
    assertThat(s.getSpec()).isEqualTo(SecretSpec.newBuilder().setName("db-password").putLabels("team", "a").build());
    assertThat(s.hasCreateTime()).isTrue();
    assertThat(store.get(Tables.SECRETS, s.getId())).contains(s);
    assertThat(store.owner(Tables.SECRET_NAMES, "db-password")).contains(s.getId());
    Payload payload = store.get(Tables.SECRET_DATA, s.getId()).orElseThrow();
    ClusterKey.Sealed sealed = ClusterKey.Sealed.decode(payload.getData().toByteArray(), "test");
    assertThat(cluster.clusterKey.open(sealed, SecretManager.associatedData(s.getId()), "test"))
        .isEqualTo(VALUE.getBytes(UTF_8));
    // Bound to its secret: moved under another id it does not open.
    assertThatThrownBy(() -> cluster.clusterKey.open(sealed, SecretManager.associatedData("other"), "test"))
        .isInstanceOf(ShoalException.class).hasMessageContaining("altered, or sealed for another object");
  }

  @Test
  void getFindsByIdNameAndUniquePrefix() {
    Secret s = create("findme", VALUE);

    assertThat(get(s.getId())).isEqualTo(s);
    assertThat(get("findme")).isEqualTo(s);
    assertThat(get(s.getId().substring(0, 6))).isEqualTo(s);
    assertStatus(() -> get("nope"), Status.Code.NOT_FOUND, "secret nope not found");
  }

  @Test
  void namesAreUnique() {
    create("dup", VALUE);

    assertStatus(() -> create("dup", "other"), Status.Code.ALREADY_EXISTS, "secret dup already exists");
    assertThat(store.list(Tables.SECRET_DATA).items()).hasSize(1);
  }

  @Test
  void dataIsOneByteTo500KiB() {
    create("largest", "x".repeat(500 * 1024));

    assertStatus(() -> create("too-large", "x".repeat(500 * 1024 + 1)), Status.Code.INVALID_ARGUMENT,
        "SecretSpec.data: is 512001 bytes; the limit is 512000 (500 KiB, as Swarm's)");
    assertStatus(() -> create("empty", ""), Status.Code.INVALID_ARGUMENT,
        "SecretSpec.data: a secret must hold at least 1 byte");
    assertStatus(() -> create("bad/name", VALUE), Status.Code.INVALID_ARGUMENT,
        "SecretSpec.name: \"bad/name\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
    assertThat(store.keys(Tables.SECRET_NAMES)).containsExactly("largest");
  }

  @Test
  void theDataIsInNoAnswerAndNowhereInEtcdInTheClear() {
    Secret s = create("api-key", VALUE);
    Service web = createService(service("web", byName("api-key")));

    assertNoValue(s);
    assertNoValue(get("api-key"));
    assertNoValue(control.listSecrets(ListSecretsRequest.getDefaultInstance()));
    assertNoValue(web);
    assertNoValue(control.getService(GetServiceRequest.newBuilder().setService("web").build()));
    assertNoValue(control.listServices(ListServicesRequest.getDefaultInstance()));
    List<KeyValue> everything = store.listRaw("");
    assertThat(everything).isNotEmpty();
    for (KeyValue kv : everything) {
      // Byte for byte (the value is ASCII), whatever encoding the stored value has.
      assertThat(new String(kv.getValue().getBytes(), ISO_8859_1)).as(kv.getKey().toString(UTF_8))
          .doesNotContain(VALUE);
    }
  }

  @Test
  void listingPagesThroughEverySecret() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(create("secret-" + i, VALUE).getId());
    }

    List<String> listed = new ArrayList<>();
    String token = "";
    do {
      ListSecretsResponse page = control.listSecrets(
          ListSecretsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
      page.getSecretsList().forEach(s -> listed.add(s.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(listed).containsExactlyElementsOf(created.stream().sorted().toList());
  }

  @Test
  void aServiceGetsTheSecretByNameWithSwarmsDefaults() {
    Secret s = create("tls-key", VALUE);

    Service web = createService(service("web", byName("tls-key"),
        SecretReference.newBuilder().setSecretName("tls-key")
            .setFile(FileTarget.newBuilder().setName("certs/key.pem").setUid("1000").setGid("07").setMode(0400)).build()));

    assertThat(web.getSpec().getSecretsList()).containsExactly(
        SecretReference.newBuilder().setSecretId(s.getId()).setSecretName("tls-key")
            .setFile(FileTarget.newBuilder().setName("tls-key").setUid("0").setGid("0").setMode(0444)).build(),
        SecretReference.newBuilder().setSecretId(s.getId()).setSecretName("tls-key")
            .setFile(FileTarget.newBuilder().setName("certs/key.pem").setUid("1000").setGid("7").setMode(0400)).build());
  }

  @Test
  void aServiceNamingAnUnknownSecretIsNotFound() {
    assertStatus(() -> createService(service("web", byName("nope"))), Status.Code.NOT_FOUND, "secret nope not found");
    assertThat(store.list(Tables.SERVICES).items()).isEmpty();
  }

  @Test
  void aTargetGivenTwiceIsRefused() {
    create("a", VALUE);
    create("b", VALUE);
    SecretReference b = SecretReference.newBuilder().setSecretName("b")
        .setFile(FileTarget.newBuilder().setName("a")).build();

    assertStatus(() -> createService(service("web", byName("a"), b)), Status.Code.INVALID_ARGUMENT,
        "ServiceSpec.secrets[1].file.name: target a is given twice");
  }

  @Test
  void aServiceUsesAtMostSixtyFourSecretsAndConfigsTogether() {
    ServiceSpec.Builder spec = service("web").toBuilder();
    for (int i = 0; i < 40; i++) {
      spec.addSecrets(byName("s" + i));
    }
    for (int i = 0; i < 25; i++) {
      spec.addConfigs(io.shoal.api.v1.ConfigReference.newBuilder().setConfigName("c" + i));
    }

    assertStatus(() -> createService(spec.build()), Status.Code.INVALID_ARGUMENT,
        "ServiceSpec.configs: 40 secrets and 25 configs; a service may use at most 64 together");
  }

  @Test
  void aConfigOnASecretsFileIsRefused() {
    create("a", VALUE);
    control.createConfig(io.shoal.api.v1.CreateConfigRequest.newBuilder().setSpec(io.shoal.api.v1.ConfigSpec
        .newBuilder().setName("c").setData(ByteString.copyFromUtf8("x"))).build());
    ServiceSpec spec = service("web", byName("a")).toBuilder()
        .addConfigs(io.shoal.api.v1.ConfigReference.newBuilder().setConfigName("c")
            .setFile(FileTarget.newBuilder().setName("/run/secrets/a"))).build();

    assertStatus(() -> createService(spec), Status.Code.INVALID_ARGUMENT,
        "ServiceSpec.configs[0].file.name: target /run/secrets/a is a secret's file too");
  }

  @Test
  void removingASecretInUseIsRefusedNamingTheServices() {
    create("shared", VALUE);
    Service web = createService(service("web", byName("shared")));
    createService(service("api", byName("shared")));

    assertStatus(() -> delete("shared"), Status.Code.FAILED_PRECONDITION,
        "secret shared is in use by services api, web; take it off them first"
            + " (service update --secret-rm shared SERVICE) or remove them");

    Service current = control.getService(GetServiceRequest.newBuilder().setService("web").build()).getService();
    control.updateService(UpdateServiceRequest.newBuilder().setServiceId(web.getId()).setVersion(current.getVersion())
        .setSpec(service("web")).setNoResolveImage(true).build());
    control.deleteService(DeleteServiceRequest.newBuilder().setService("api").build());
    delete("shared");

    assertThat(store.list(Tables.SECRETS).items()).isEmpty();
    assertThat(store.list(Tables.SECRET_DATA).items()).isEmpty();
    assertThat(store.keys(Tables.SECRET_NAMES)).isEmpty();
    assertStatus(() -> delete("shared"), Status.Code.NOT_FOUND, "secret shared not found");
  }

  @Test
  void aServiceStartingToUseASecretMovesItsVersionSoAConcurrentRemoveConflicts() {
    Secret s = create("guarded", VALUE);

    createService(service("web", byName("guarded")));

    // A delete that read the services before this create holds the old version: it cannot commit.
    assertThat(store.get(Tables.SECRETS, s.getId()).orElseThrow().getVersion()).isGreaterThan(s.getVersion());
  }
}
