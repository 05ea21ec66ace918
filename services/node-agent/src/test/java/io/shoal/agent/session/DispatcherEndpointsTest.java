package io.shoal.agent.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DispatcherEndpointsTest {
  private final List<InetSocketAddress> opened = new ArrayList<>();

  private ManagedChannel open(InetSocketAddress address) {
    opened.add(address);
    return InProcessChannelBuilder.forName(address.getHostString() + ":" + address.getPort()).build();
  }

  @Test
  void parsesCommaSeparatedAddressesInOrder() {
    assertThat(DispatcherEndpoints.parse("10.0.0.1:7403, managers.example:7403 ,[::1]:7403"))
        .containsExactly("10.0.0.1:7403", "managers.example:7403", "[::1]:7403");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                          | --dispatcher: '' is not host:port (in '')",
      "10.0.0.1                    | --dispatcher: '10.0.0.1' is not host:port (in '10.0.0.1')",
      "a:7403,,b:7403              | --dispatcher: '' is not host:port (in 'a:7403,,b:7403')",
      "a:http                      | --dispatcher: 'a:http' is not host:port (in 'a:http')",
      "a:70000                     | --dispatcher: port 70000 of 'a:70000' is not 1-65535",
      "a:7403,a:7403               | --dispatcher: 'a:7403' is listed twice",
  })
  void refusesABadListNamingTheEntry(String flag, String message) {
    assertThatThrownBy(() -> DispatcherEndpoints.parse(flag)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void startsWhereTheRandomSourceSaysAndMovesOnInACircle() {
    DispatcherEndpoints endpoints = new DispatcherEndpoints(List.of("a:1", "b:2", "c:3"), this::open, n -> 1);

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(endpoints.address());
      endpoints.moveOn();
    }

    assertThat(seen).containsExactly("b:2", "c:3", "a:1", "b:2");
    endpoints.close();
  }

  @Test
  void opensEachChannelOnceOnFirstUseAndKeepsIt() {
    DispatcherEndpoints endpoints = new DispatcherEndpoints(List.of("a:1", "b:2"), this::open, n -> 0);

    var first = endpoints.channel();
    endpoints.moveOn();
    var second = endpoints.channel();
    endpoints.moveOn();

    assertThat(endpoints.channel()).isSameAs(first).isNotSameAs(second);
    assertThat(opened).containsExactly(InetSocketAddress.createUnresolved("a", 1),
        InetSocketAddress.createUnresolved("b", 2));
    endpoints.close();
    assertThat(((ManagedChannel) first).isShutdown()).isTrue();
  }

  @Test
  void oneDispatcherIsTriedAgainAfterABreak() {
    DispatcherEndpoints endpoints = new DispatcherEndpoints(List.of("a:1"), this::open, n -> 0);
    endpoints.moveOn();
    assertThat(endpoints.address()).isEqualTo("a:1");
    endpoints.close();
  }
}
