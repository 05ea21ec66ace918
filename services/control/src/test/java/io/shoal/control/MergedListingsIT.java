package io.shoal.control;

import io.shoal.control.paging.TablePager;
import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.api.v1.Endpoint;
import io.shoal.api.v1.EndpointVirtualIp;
import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeRegistration;
import io.shoal.api.v1.NodeState;
import io.shoal.api.v1.NodeStatus;
import io.shoal.api.v1.Service;
import io.shoal.api.v1.ServiceSpec;
import io.shoal.api.v1.ServiceStatus;
import io.shoal.api.v1.UpdateState;
import io.shoal.api.v1.UpdateStatus;
import io.shoal.common.objects.NodeViews;
import io.shoal.common.store.EtcdStore;
import io.shoal.common.store.Tables;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.EtcdExtension.EtcdTestCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Listings show each service with the scheduler's status and each node with the dispatcher's
 * registration, page by page: the other half is read for exactly the ids a page spans.
 */
@ExtendWith(EtcdExtension.class)
class MergedListingsIT {
  private static final Endpoint VIP = Endpoint.newBuilder()
      .addVirtualIps(EndpointVirtualIp.newBuilder().setNetworkId("n1").setAddr("10.0.0.2/24")).build();
  private EtcdStore store;

  @BeforeEach
  void connect(EtcdTestCluster etcd) {
    store = EtcdStore.connect(etcd.endpoints(), etcd.newRoot());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void everyPageOfServicesCarriesTheStatusesAboutItsServices() {
    // s0..s6; s1, s2, s5 have a current status, s3 one about an older version, and an orphan
    // status sorts between them.
    for (int i = 0; i < 7; i++) {
      String id = "s" + i;
      long version = store.txn().create(Tables.SERVICES, id, Service.newBuilder().setId(id)
          .setSpec(ServiceSpec.newBuilder().setName("web" + i)).build()).commit();
      if (i == 1 || i == 2 || i == 5 || i == 3) {
        ServiceStatus status = status(id, i == 3 ? version - 1 : version);
        if (i == 3) {
          // The virtual IPs are the service's whatever version the status is about.
          status = status.toBuilder().setEndpoint(VIP).build();
        }
        store.txn().create(Tables.SERVICE_STATUS, id, status).commit();
      }
    }
    store.txn().create(Tables.SERVICE_STATUS, "s4a", status("s4a", 1)).commit();

    List<Service> listed = new ArrayList<>();
    ServiceQueries queries = new ServiceQueries(store);
    String token = "";
    do {
      TablePager.Page<Service> page = queries.list(2, token);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
      listed.addAll(page.items());
      token = page.nextPageToken();
    } while (!token.isEmpty());

    assertThat(listed).extracting(Service::getId).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6");
    assertThat(listed).filteredOn(s -> s.getUpdateStatus().getState() == UpdateState.UPDATE_STATE_UPDATING)
        .extracting(Service::getId).containsExactly("s1", "s2", "s5");
    assertThat(listed).filteredOn(Service::hasEndpoint).extracting(Service::getId).containsExactly("s3");
    assertThat(queries.find("s3").getEndpoint()).isEqualTo(VIP);
    assertThat(listed).allSatisfy(s -> assertThat(s).isEqualTo(queries.find(s.getId())));
  }

  @Test
  void everyPageOfNodesCarriesTheirRegistrations() {
    for (int i = 0; i < 5; i++) {
      NodeRegistration r = NodeRegistration.newBuilder().setId("n" + i)
          .setDescription(NodeDescription.newBuilder().setHostname("host-" + i))
          .setStatus(NodeStatus.newBuilder().setState(NodeState.NODE_STATE_READY)).build();
      store.txn().create(Tables.NODE_REGISTRATIONS, r.getId(), r).commit();
      store.txn().create(Tables.NODES, r.getId(), NodeViews.newNode(r)).commit();
    }

    List<Node> listed = new ArrayList<>();
    NodeManager nodes = new NodeManager(store);
    String token = "";
    do {
      TablePager.Page<Node> page = nodes.list(2, token);
      listed.addAll(page.items());
      token = page.nextPageToken();
    } while (!token.isEmpty());

    assertThat(listed).extracting(n -> n.getDescription().getHostname())
        .containsExactly("host-0", "host-1", "host-2", "host-3", "host-4");
    assertThat(listed).allSatisfy(n -> assertThat(n).isEqualTo(nodes.find(n.getId())));
  }

  private static ServiceStatus status(String id, long aboutVersion) {
    return ServiceStatus.newBuilder().setServiceId(id).setServiceVersion(aboutVersion)
        .setUpdateStatus(UpdateStatus.newBuilder().setState(UpdateState.UPDATE_STATE_UPDATING)).build();
  }
}
