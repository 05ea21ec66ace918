package io.shoal.agent.discovery;

import static io.shoal.agent.discovery.NameTableTest.dnsrr;
import static io.shoal.agent.discovery.NameTableTest.network;
import static io.shoal.agent.discovery.NameTableTest.peer;
import static io.shoal.agent.discovery.NameTableTest.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.shoal.agent.discovery.DnsTestClient.Reply;
import io.shoal.api.v1.NetworkMap;
import io.shoal.common.telemetry.Telemetry;
import io.shoal.testing.ExternalProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The DNS server over real sockets on loopback: every 127.x.y.z address is this host's, so a
 * client socket bound to 127.53.N.5 plays the task at that address, and the server listens on
 * 127.53.N.1, the network's gateway. Each test has its own 127.53.N.0/24.
 */
class DnsServerIT {
  private final int port = ExternalProcess.freePort();
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
  }

  @Test
  void aClusterNameIsAnsweredForTheTaskThatAsks() throws Exception {
    DnsServer dns = server(List.of(upstream(StubUpstream.answering("127.53.1.53"))));
    dns.update(map("127.53.1"));
    dns.bindAddresses(Set.of(ip("127.53.1.1")));
    DnsTestClient task = client("127.53.1.5");

    Reply web = task.query(at("127.53.1.1"), "web", DnsRecordType.A);
    assertThat(web.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(web.addresses()).containsExactly("127.53.1.2");
    assertThat(web.ttls()).containsExactly(0L);
    assertThat(web.authoritative()).isTrue();
    assertThat(task.query(at("127.53.1.1"), "tasks.web.", DnsRecordType.A).addresses())
        .containsExactlyInAnyOrder("127.53.1.5", "127.53.1.6");
    assertThat(task.query(at("127.53.1.1"), "RR", DnsRecordType.A).addresses())
        .containsExactlyInAnyOrder("127.53.1.7", "127.53.1.8");
    Reply aaaa = task.query(at("127.53.1.1"), "web", DnsRecordType.AAAA);
    assertThat(aaaa.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(aaaa.addresses()).isEmpty();
  }

  @Test
  void dnsrrAnswersStartAtTheNextTaskEachTime() throws Exception {
    DnsServer dns = server(List.of());
    dns.update(map("127.53.2"));
    dns.bindAddresses(Set.of(ip("127.53.2.1")));
    DnsTestClient task = client("127.53.2.5");

    String first = task.query(at("127.53.2.1"), "rr", DnsRecordType.A).addresses().get(0);
    String second = task.query(at("127.53.2.1"), "rr", DnsRecordType.A).addresses().get(0);
    assertThat(Set.of(first, second)).containsExactlyInAnyOrder("127.53.2.7", "127.53.2.8");
  }

  @Test
  void otherNamesAreRelayedToTheUpstreamAndBackWithTheClientsId() throws Exception {
    StubUpstream upstream = StubUpstream.answering("127.53.3.53");
    DnsServer dns = server(List.of(upstream(upstream)));
    dns.update(map("127.53.3"));
    dns.bindAddresses(Set.of(ip("127.53.3.1")));
    byte[] query = DnsTestClient.encode(4242, "example.org", DnsRecordType.A, 0);

    Reply reply = client("127.53.3.5").query(at("127.53.3.1"), query);
    assertThat(reply.id()).isEqualTo(4242);
    assertThat(reply.addresses()).containsExactly(StubUpstream.ADDRESS);
    assertThat(upstream.received()).singleElement().isEqualTo(query);
    // An address the map does not know asks for a cluster name: not a cluster name for it.
    assertThat(client("127.53.3.99").query(at("127.53.3.1"), "web", DnsRecordType.A).addresses())
        .containsExactly(StubUpstream.ADDRESS);
  }

  @Test
  void aSilentUpstreamIsFollowedByTheNext() throws Exception {
    StubUpstream silent = StubUpstream.silent("127.53.4.53");
    StubUpstream answering = StubUpstream.answering("127.53.4.54");
    DnsServer dns = server(List.of(upstream(silent), upstream(answering)), Duration.ofMillis(200), 16);
    dns.bindAddresses(Set.of(ip("127.53.4.1")));

    Reply reply = client("127.53.4.5").query(at("127.53.4.1"), "example.org", DnsRecordType.A);
    assertThat(reply.addresses()).containsExactly(StubUpstream.ADDRESS);
  }

  @Test
  void noUpstreamAnsweringIsServfail() throws Exception {
    DnsServer dns = server(List.of(upstream(StubUpstream.silent("127.53.5.53"))), Duration.ofMillis(200), 16);
    dns.bindAddresses(Set.of(ip("127.53.5.1")));

    Reply reply = client("127.53.5.5").query(at("127.53.5.1"), "example.org", DnsRecordType.A);
    assertThat(reply.code()).isEqualTo(DnsResponseCode.SERVFAIL);
    assertThat(dns.metrics().total("servfail", "no_answer")).isEqualTo(1);
  }

  @Test
  void aNewMapAnswersTheNextQuery() throws Exception {
    DnsServer dns = server(List.of());
    dns.update(map("127.53.6"));
    dns.bindAddresses(Set.of(ip("127.53.6.1")));
    DnsTestClient task = client("127.53.6.5");
    assertThat(task.query(at("127.53.6.1"), "web", DnsRecordType.A).addresses()).containsExactly("127.53.6.2");

    dns.update(NetworkMap.newBuilder()
        .addNetworks(network("n", "127.53.6.0/24", List.of(peer("a.1", "127.53.6.5")),
            List.of(vip("s-web", "web", "127.53.6.42", List.of()))))
        .build());
    assertThat(task.query(at("127.53.6.1"), "web", DnsRecordType.A).addresses()).containsExactly("127.53.6.42");
  }

  @Test
  void anAddressTakenAwayIsNoLongerServed() throws Exception {
    DnsServer dns = server(List.of());
    dns.update(map("127.53.7"));
    dns.bindAddresses(Set.of(ip("127.53.7.1"), ip("127.53.7.254")));
    DnsTestClient task = client("127.53.7.5");
    assertThat(task.queryConnected(at("127.53.7.1"), "web").addresses()).containsExactly("127.53.7.2");
    assertThat(task.queryConnected(at("127.53.7.254"), "web").addresses()).containsExactly("127.53.7.2");

    dns.bindAddresses(Set.of(ip("127.53.7.254")));
    assertThat(dns.boundAddresses()).containsExactly(ip("127.53.7.254"));
    assertThatThrownBy(() -> task.queryConnected(at("127.53.7.1"), "web"))
        .isInstanceOf(PortUnreachableException.class);
    assertThat(task.queryConnected(at("127.53.7.254"), "web").addresses()).containsExactly("127.53.7.2");

    dns.bindAddresses(Set.of(ip("127.53.7.1")));
    assertThat(task.queryConnected(at("127.53.7.1"), "web").addresses()).containsExactly("127.53.7.2");
  }

  @Test
  void anAddressNotOnTheHostIsLeftOutAndTheOthersServed() throws Exception {
    DnsServer dns = server(List.of());
    dns.update(map("127.53.8"));
    // TEST-NET-3: on no interface here.
    dns.bindAddresses(Set.of(ip("127.53.8.1"), ip("203.0.113.1")));
    assertThat(dns.boundAddresses()).containsExactly(ip("127.53.8.1"));
    assertThat(client("127.53.8.5").query(at("127.53.8.1"), "web", DnsRecordType.A).addresses())
        .containsExactly("127.53.8.2");
  }

  @Test
  void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
    List<String> tasks = IntStream.rangeClosed(10, 109).mapToObj(i -> "127.53.9." + i).toList();
    DnsServer dns = server(List.of());
    dns.update(NetworkMap.newBuilder()
        .addNetworks(network("n", "127.53.9.0/24", List.of(peer("a.1", "127.53.9.5")),
            List.of(dnsrr("s-big", "big", tasks))))
        .build());
    dns.bindAddresses(Set.of(ip("127.53.9.1")));
    DnsTestClient task = client("127.53.9.5");

    Reply udp = task.query(at("127.53.9.1"), "tasks.big", DnsRecordType.A);
    assertThat(udp.truncated()).isTrue();
    assertThat(udp.size()).isLessThanOrEqualTo(512);
    assertThat(udp.addresses()).isNotEmpty().hasSizeLessThan(tasks.size());
    assertThat(tasks).containsAll(udp.addresses());

    Reply edns = task.query(at("127.53.9.1"), DnsTestClient.encode(7, "tasks.big", DnsRecordType.A, 4096));
    assertThat(edns.size()).isGreaterThan(512).isLessThanOrEqualTo(1232);
    assertThat(edns.addresses()).hasSizeGreaterThan(udp.addresses().size());

    Reply tcp = task.queryTcp(at("127.53.9.1"), "tasks.big", DnsRecordType.A);
    assertThat(tcp.truncated()).isFalse();
    assertThat(tcp.addresses()).containsExactlyInAnyOrderElementsOf(tasks);
  }

  @Test
  void overTcpOtherNamesAreForwardedToo() throws Exception {
    DnsServer dns = server(List.of(upstream(StubUpstream.answering("127.53.10.53"))));
    dns.bindAddresses(Set.of(ip("127.53.10.1")));

    Reply reply = client("127.53.10.5").queryTcp(at("127.53.10.1"), "example.org", DnsRecordType.A);
    assertThat(reply.addresses()).containsExactly(StubUpstream.ADDRESS);
  }

  @Test
  void malformedAndOversizedQueriesAreDroppedAndCounted() throws Exception {
    DnsServer dns = server(List.of());
    dns.update(map("127.53.11"));
    dns.bindAddresses(Set.of(ip("127.53.11.1")));
    DnsTestClient task = client("127.53.11.5");

    task.send(at("127.53.11.1"), new byte[] {1, 2, 3});
    byte[] response = DnsTestClient.encode(9, "web", DnsRecordType.A, 0);
    response[2] |= (byte) 0x80;
    task.send(at("127.53.11.1"), response);
    task.send(at("127.53.11.1"), new byte[600]);
    // Still serving, and the first answer the client gets is this query's.
    assertThat(task.query(at("127.53.11.1"), "web", DnsRecordType.A).addresses()).containsExactly("127.53.11.2");
    await().untilAsserted(() -> {
      assertThat(dns.metrics().total("dropped", "malformed")).isEqualTo(2);
      assertThat(dns.metrics().total("dropped", "too_large")).isEqualTo(1);
    });
  }

  @Test
  void aQueryWithoutAQuestionIsFormerr() throws Exception {
    DnsServer dns = server(List.of());
    dns.bindAddresses(Set.of(ip("127.53.12.1")));
    byte[] header = {0x12, 0x34, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};

    Reply reply = client("127.53.12.5").query(at("127.53.12.1"), header);
    assertThat(reply.id()).isEqualTo(0x1234);
    assertThat(reply.code()).isEqualTo(DnsResponseCode.FORMERR);
  }

  @Test
  void forwardsBeyondTheLimitAreServfailAtOnce() throws Exception {
    DnsServer dns = server(List.of(upstream(StubUpstream.silent("127.53.13.53"))), Duration.ofMinutes(1), 1);
    dns.bindAddresses(Set.of(ip("127.53.13.1")));
    DnsTestClient waiting = client("127.53.13.5");
    waiting.send(at("127.53.13.1"), DnsTestClient.encode(1, "example.org", DnsRecordType.A, 0));
    await().until(() -> dns.pendingForwards() == 1);

    Reply refused = client("127.53.13.6").query(at("127.53.13.1"), "example.com", DnsRecordType.A);
    assertThat(refused.code()).isEqualTo(DnsResponseCode.SERVFAIL);
    assertThat(dns.metrics().total("servfail", "forwards_full")).isEqualTo(1);
  }

  /**
   * Network {@code prefix}.0/24: the asking task a.1 at .5; "web" (VIP .2) served by .5 and .6;
   * "rr" (dnsrr) by .7 and .8.
   */
  private static NetworkMap map(String prefix) {
    return NetworkMap.newBuilder()
        .addNetworks(network("n", prefix + ".0/24",
            List.of(peer("a.1", prefix + ".5"), peer("web.1", prefix + ".6")),
            List.of(vip("s-web", "web", prefix + ".2", List.of(prefix + ".5", prefix + ".6")),
                dnsrr("s-rr", "rr", List.of(prefix + ".7", prefix + ".8")))))
        .build();
  }

  private DnsServer server(List<InetSocketAddress> upstreams) {
    return server(upstreams, DnsServerConfig.DEFAULT_UPSTREAM_TIMEOUT, DnsServerConfig.DEFAULT_MAX_FORWARDS);
  }

  private DnsServer server(List<InetSocketAddress> upstreams, Duration timeout, int maxForwards) {
    DnsServer dns = new DnsServer(new DnsServerConfig(port, upstreams, timeout, maxForwards), Telemetry.noop());
    closeAfter.add(dns);
    return dns.start();
  }

  private InetSocketAddress upstream(StubUpstream upstream) {
    closeAfter.add(upstream);
    return upstream.address();
  }

  private DnsTestClient client(String address) throws Exception {
    DnsTestClient client = new DnsTestClient(address);
    closeAfter.add(client);
    return client;
  }

  private InetSocketAddress at(String address) {
    return new InetSocketAddress(ip(address), port);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
