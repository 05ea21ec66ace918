package io.shoal.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shoal.api.v1.FileData;
import io.shoal.api.v1.FileDataKind;
import io.shoal.api.v1.FileDataRef;
import io.shoal.api.v1.FileDataUpdate;
import io.shoal.api.v1.SecretReference;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.Task;
import io.shoal.api.v1.TaskState;
import io.shoal.api.v1.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SentFileDataTest {
  private static final int KIB_500 = 500 * 1024;
  private final List<FileDataRef> asked = new ArrayList<>();
  private final Function<FileDataRef, FileData> source = ref -> {
    asked.add(ref);
    return FileData.newBuilder().setRef(ref).setData(ByteString.copyFrom(new byte[KIB_500])).build();
  };

  private static Task task(String id, TaskState desired, TaskState state, String... secretIds) {
    ServiceSpec.Builder spec = ServiceSpec.newBuilder().setName("s");
    for (String s : secretIds) {
      spec.addSecrets(SecretReference.newBuilder().setSecretId(s));
    }
    return Task.newBuilder().setId(id).setDesiredState(desired).setStatus(TaskStatus.newBuilder().setState(state))
        .setSpec(spec).build();
  }

  private static Task running(String id, String... secretIds) {
    return task(id, TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_ASSIGNED, secretIds);
  }

  private static List<String> ids(List<FileDataUpdate> updates) {
    List<String> ids = new ArrayList<>();
    updates.forEach(u -> u.getFilesList().forEach(f -> ids.add(f.getRef().getId())));
    updates.forEach(u -> u.getRemovedList().forEach(r -> ids.add(r.getId())));
    return ids;
  }

  @Test
  void eachObjectIsSentOnceWhileATaskUsesItAndRemovedWhenNoneDoes() {
    SentFileData sent = new SentFileData();
    SentFileData.Push first = sent.next(List.of(running("t1", "a", "b"), running("t2", "b")), source);
    assertThat(ids(first.before())).containsExactly("a", "b");
    assertThat(first.after()).isEmpty();

    SentFileData.Push again = sent.next(List.of(running("t1", "a", "b"), running("t2", "b")), source);
    assertThat(again.before()).isEmpty();
    assertThat(again.after()).isEmpty();
    assertThat(asked).hasSize(2);

    // t1 is told to stop, t2 still needs b.
    SentFileData.Push stop = sent.next(List.of(
        task("t1", TaskState.TASK_STATE_SHUTDOWN, TaskState.TASK_STATE_RUNNING, "a", "b"), running("t2", "b")), source);
    assertThat(stop.before()).isEmpty();
    assertThat(ids(stop.after())).containsExactly("a");
    assertThat(sent.heldBytes()).isEqualTo(KIB_500);
  }

  @Test
  void anEndedTaskNeedsNoData() {
    SentFileData sent = new SentFileData();
    SentFileData.Push push = sent.next(
        List.of(task("t1", TaskState.TASK_STATE_RUNNING, TaskState.TASK_STATE_FAILED, "a")), source);
    assertThat(push.before()).isEmpty();
  }

  @Test
  void pastSixtyFourMebibytesAnObjectIsUnavailableAndMessagesStaySmall() {
    SentFileData sent = new SentFileData();
    String[] many = IntStream.range(0, 140).mapToObj(i -> "s" + i).toArray(String[]::new);
    SentFileData.Push push = sent.next(List.of(running("t1", many)), source);

    List<FileData> files = push.before().stream().flatMap(u -> u.getFilesList().stream()).toList();
    assertThat(files).hasSize(140);
    long withData = files.stream().filter(FileData::hasData).count();
    assertThat(withData).isEqualTo(SentFileData.MAX_NODE_BYTES / KIB_500);
    assertThat(files.get(139).getUnavailable()).contains("limit of 67108864 bytes");
    assertThat(sent.heldBytes()).isLessThanOrEqualTo(SentFileData.MAX_NODE_BYTES);
    for (FileDataUpdate u : push.before()) {
      assertThat(u.getSerializedSize()).isLessThanOrEqualTo(SentFileData.CHUNK_BYTES + KIB_500);
    }
    // Not only the first part: split across messages.
    assertThat(push.before().size()).isGreaterThan(60);
    assertThat(FileDataKind.FILE_DATA_KIND_SECRET).isEqualTo(files.get(0).getRef().getKind());
  }
}
