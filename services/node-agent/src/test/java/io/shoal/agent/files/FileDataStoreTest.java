package io.shoal.agent.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.FileDataUpdate;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileDataStoreTest {
  private static final FileDataRef A = ref("a");
  private static final FileDataRef B = ref("b");

  private static FileDataRef ref(String id) {
    return FileDataRef.newBuilder().setKind(FileDataKind.FILE_DATA_KIND_SECRET).setId(id).build();
  }

  private static FileData data(FileDataRef ref) {
    return FileData.newBuilder().setRef(ref).setData(ByteString.copyFromUtf8("v-" + ref.getId())).build();
  }

  @Test
  void keepsWhatTheDispatcherSentUntilItIsRemovedOrNoTaskOfACompleteSetUsesIt() {
    FileDataStore store = new FileDataStore();
    store.update(FileDataUpdate.newBuilder().addFiles(data(A)).addFiles(data(B)).build());
    assertThat(store.get(A)).contains(data(A));

    store.update(FileDataUpdate.newBuilder().addRemoved(A).build());
    assertThat(store.get(A)).isEmpty();
    assertThat(store.get(B)).isPresent();

    // A config with the same id is another object.
    assertThat(store.get(B.toBuilder().setKind(FileDataKind.FILE_DATA_KIND_CONFIG).build())).isEmpty();

    store.update(FileDataUpdate.newBuilder().addFiles(data(A)).build());
    store.retainUsedBy(List.of(Task.newBuilder().setId("t").setSpec(ServiceSpec.newBuilder()
        .addSecrets(SecretReference.newBuilder().setSecretId("a"))).build()));
    assertThat(store.get(A)).isPresent();
    assertThat(store.get(B)).isEmpty();
    assertThat(store.size()).isEqualTo(1);
  }
}
