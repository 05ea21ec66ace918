package io.shoal.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.ConfigSpec;
import io.shoal.api.v1.ContainerSpec;
import io.shoal.api.v1.ControlServiceGrpc;
import io.shoal.api.v1.CreateConfigRequest;
import io.shoal.api.v1.CreateServiceRequest;
import io.shoal.api.v1.DeleteConfigRequest;
import io.shoal.api.v1.DeleteServiceRequest;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.GetConfigRequest;
import io.shoal.api.v1.ListConfigsRequest;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The config RPCs, on a real etcd: as secrets, but the data is stored as given and GetConfig
 * shows it; listings leave it out.
 */
class ConfigApiIT {
  private static final ByteString DATA = ByteString.copyFromUtf8("listen 80;\n");
  @RegisterExtension final InProcessControl cluster = new InProcessControl();
  private final EtcdStore store = cluster.store;
  private final ControlServiceGrpc.ControlServiceBlockingStub control = cluster.stub;

  private Config create(String name, ByteString data) {
    return control.createConfig(CreateConfigRequest.newBuilder()
        .setSpec(ConfigSpec.newBuilder().setName(name).setData(data)).build()).getConfig();
  }

  private Config get(String reference) {
    return control.getConfig(GetConfigRequest.newBuilder().setConfig(reference).build()).getConfig();
  }

  private void delete(String reference) {
    control.deleteConfig(DeleteConfigRequest.newBuilder().setConfig(reference).build());
  }

  private Service createService(String name, ConfigReference config) {
    return control.createService(CreateServiceRequest.newBuilder().setNoResolveImage(true).setSpec(
        ServiceSpec.newBuilder().setName(name).setContainer(ContainerSpec.newBuilder().setImage("busybox:1"))
            .addConfigs(config)).build()).getService();
  }

  private static void assertStatus(Runnable call, Status.Code code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).isEqualTo(message);
    });
  }

  @Test
  void getShowsTheDataAndListingsDoNot() {
    Config c = create("nginx.conf", DATA);

    assertThat(c.getSpec().getData()).isEqualTo(DATA);
    assertThat(get("nginx.conf")).isEqualTo(c);
    assertThat(get(c.getId().substring(0, 5))).isEqualTo(c);
    assertThat(control.listConfigs(ListConfigsRequest.getDefaultInstance()).getConfigsList())
        .containsExactly(c.toBuilder().setSpec(c.getSpec().toBuilder().clearData()).build());
    assertThat(store.get(Tables.CONFIGS, c.getId()).orElseThrow().getSpec().getData()).isEmpty();
    assertThat(store.get(Tables.CONFIG_DATA, c.getId()).orElseThrow().getData()).isEqualTo(DATA);
  }

  @Test
  void namesAreUniqueAndTheDataBounded() {
    create("dup", DATA);

    assertStatus(() -> create("dup", DATA), Status.Code.ALREADY_EXISTS, "config dup already exists");
    assertStatus(() -> create("big", ByteString.copyFrom(new byte[500 * 1024 + 1])), Status.Code.INVALID_ARGUMENT,
        "ConfigSpec.data: is 512001 bytes; the limit is 512000 (500 KiB, as Swarm's)");
  }

  @Test
  void aServiceGetsTheConfigAtAnAbsolutePathAndItCannotBeRemovedMeanwhile() {
    Config c = create("app.yml", DATA);

    Service web = createService("web", ConfigReference.newBuilder().setConfigName("app.yml").build());

    assertThat(web.getSpec().getConfigsList()).containsExactly(ConfigReference.newBuilder()
        .setConfigId(c.getId()).setConfigName("app.yml")
        .setFile(FileTarget.newBuilder().setName("/app.yml").setUid("0").setGid("0").setMode(0444)).build());
    assertStatus(() -> delete("app.yml"), Status.Code.FAILED_PRECONDITION,
        "config app.yml is in use by service web; take it off them first"
            + " (service update --config-rm app.yml SERVICE) or remove them");
    assertStatus(() -> createService("api", ConfigReference.newBuilder().setConfigName("nope").build()),
        Status.Code.NOT_FOUND, "config nope not found");

    control.deleteService(DeleteServiceRequest.newBuilder().setService("web").build());
    delete(c.getId());
    assertThat(store.list(Tables.CONFIG_DATA).items()).isEmpty();
    assertThat(store.keys(Tables.CONFIG_NAMES)).isEmpty();
  }
}
