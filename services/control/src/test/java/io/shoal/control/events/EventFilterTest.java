package io.shoal.control.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Event;
import io.shoal.common.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFilterTest {
  private static final Event SERVICE = Event.newBuilder().setType("service").setAction("update").setId("s1")
      .setName("web").build();
  private static final Event TASK = Event.newBuilder().setType("task").setAction("create").setId("t1")
      .setName("web.1").putAttributes("service", "web").build();
  private static final Event NODE = Event.newBuilder().setType("node").setAction("update").setId("n1")
      .setName("h1").build();

  private static EventFilter filter(String spec) {
    List<io.shoal.api.v1.EventFilter> filters = new ArrayList<>();
    for (String kv : spec.isEmpty() ? new String[0] : spec.split(" ")) {
      String[] p = kv.split("=", 2);
      filters.add(io.shoal.api.v1.EventFilter.newBuilder().setKey(p[0]).setValue(p[1]).build());
    }
    return EventFilter.of(filters);
  }

  @ParameterizedTest(name = "{0}: service {1}, task {2}, node {3}")
  @CsvSource(delimiter = '|', value = {
      "''                              | true  | true  | true",
      "type=service                    | true  | false | false",
      "type=service type=node          | true  | false | true",
      "name=web                        | true  | true  | false",
      "name=web type=task              | false | true  | false",
      "event=update                    | true  | false | true",
      "id=t1                           | false | true  | false",
      "name=web.1                      | false | true  | false",
      "name=db                         | false | false | false",
  })
  void valuesOfAKeyAreAlternativesAndKeysMustAllMatch(String spec, boolean service, boolean task, boolean node) {
    EventFilter f = filter(spec);
    assertThat(f.matches(SERVICE)).isEqualTo(service);
    assertThat(f.matches(TASK)).isEqualTo(task);
    assertThat(f.matches(NODE)).isEqualTo(node);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "label=x      | filters: unknown filter key \"label\" (type, name, id, event)",
      "type=volume  | filters: unknown event type \"volume\" (service, task, node, network, secret, config)",
      "event=start  | filters: unknown event \"start\" (create, update, remove)",
      "name=        | filters: name: a value of 1 to 256 bytes, got none",
  })
  void refusesWhatDockerWouldNotTakeNamingIt(String spec, String message) {
    assertThatThrownBy(() -> filter(spec)).isInstanceOf(InvalidArgumentException.class).hasMessage(message);
  }
}
