package io.shoal.agent.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.NetworkPeer;
import io.shoal.api.v1.NetworkView;
import org.junit.jupiter.api.Test;

class ForwardingEntriesTest {
  private static final String HERE = "10.231.0.11";
  private static final String THERE = "10.231.0.12";

  @Test
  void remoteTasksGetAnEntryAndLocalOnesAreBridged() {
    NetworkView view = view(peer("t1", "10.0.1.3/24", HERE), peer("t2", "10.0.1.4/24", THERE));

    ForwardingEntries entries = ForwardingEntries.of(view, HERE);

    assertThat(entries.byAddress()).containsOnlyKeys("10.0.1.4");
    assertThat(entries.byAddress().get("10.0.1.4"))
        .isEqualTo(new ForwardingEntries.Entry("10.0.1.4", "02:42:0a:00:01:04", THERE));
  }

  @Test
  void firstProgrammingAddsForwardingThenNeighbour() {
    ForwardingEntries entries = ForwardingEntries.of(view(peer("t2", "10.0.1.4", THERE)), HERE);

    ForwardingEntries.Batches batches = entries.batchesFrom(ForwardingEntries.NONE, "shv1000");

    assertThat(batches.forwardingAdds()).isEqualTo("fdb replace 02:42:0a:00:01:04 dev shv1000 dst 10.231.0.12 self permanent\n");
    assertThat(batches.neighbourAdds()).isEqualTo("neigh replace 10.0.1.4 lladdr 02:42:0a:00:01:04 dev shv1000 nud permanent\n");
    assertThat(batches.neighbourDeletes()).isEmpty();
    assertThat(batches.forwardingDeletes()).isEmpty();
  }

  @Test
  void anAddressThatMovedHostIsDeletedThenAddedAndUnchangedOnesAreLeftAlone() {
    ForwardingEntries before = ForwardingEntries.of(
        view(peer("t2", "10.0.1.4", THERE), peer("t3", "10.0.1.5", THERE)), HERE);
    ForwardingEntries after = ForwardingEntries.of(
        view(peer("t4", "10.0.1.4", "10.231.0.13"), peer("t3", "10.0.1.5", THERE)), HERE);

    ForwardingEntries.Batches batches = after.batchesFrom(before, "shv1000");

    assertThat(batches.neighbourDeletes()).isEqualTo("neigh del 10.0.1.4 dev shv1000\n");
    assertThat(batches.forwardingDeletes()).isEqualTo("fdb del 02:42:0a:00:01:04 dev shv1000 self\n");
    assertThat(batches.forwardingAdds()).contains("dst 10.231.0.13").doesNotContain("10.0.1.5");
  }

  @Test
  void aTaskThatLeftIsDeletedAndNothingElseChanges() {
    ForwardingEntries before = ForwardingEntries.of(view(peer("t2", "10.0.1.4", THERE)), HERE);

    ForwardingEntries.Batches batches = ForwardingEntries.of(view(), HERE).batchesFrom(before, "shv1000");

    assertThat(batches.neighbourDeletes()).isEqualTo("neigh del 10.0.1.4 dev shv1000\n");
    assertThat(batches.forwardingAdds()).isEmpty();
    assertThat(ForwardingEntries.of(view(peer("t2", "10.0.1.4", THERE)), HERE).batchesFrom(before, "shv1000").isEmpty())
        .isTrue();
  }

  private static NetworkView view(NetworkPeer... peers) {
    return NetworkView.newBuilder().setNetworkId("n1").setVxlanId(4096).addAllPeers(java.util.List.of(peers)).build();
  }

  private static NetworkPeer peer(String task, String address, String hostAddr) {
    return NetworkPeer.newBuilder().setTaskId(task).setAddress(address).setNodeAddr(hostAddr).build();
  }
}
