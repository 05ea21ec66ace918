package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.Lab;
import io.shoal.testing.LabExtension;
import io.shoal.testing.RegistryExtension;
import io.shoal.testing.RegistryTestServer;
import io.shoal.testing.TestImages;
import io.shoal.testing.ZipkinServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One command, one trace, through every part (issue #13, item 1): a cluster whose every part
 * sends spans to a real Zipkin server, and a CLI that does too. The trace of a create holds the
 * CLI's command, control's call, the registry service's manifest request, the etcd txn, the
 * scheduler's placement, the dispatcher's assignment and the agent's pull, create and start, in
 * that order, read back from Zipkin's HTTP API; an update's trace reaches the agent as well.
 */
@ExtendWith({LabExtension.class, DockerExtension.class, RegistryExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private ZipkinServer zipkin;
  private LocalCluster cluster;
  private RegistryTestServer registry;
  private DockerTestEngine docker;

  @BeforeAll
  void start(Lab lab, DockerTestEngine docker, RegistryTestServer local) {
    this.docker = docker;
    registry = lab.registry(local);
    zipkin = ZipkinServer.start(lab.bridgeAddress());
    cluster = new LocalCluster(lab, lab.hosts().subList(0, 1), 1,
        List.of("--trace-endpoint", zipkin.endpoint()), registry);
    cluster.awaitReadyNodes(WAIT);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  private Commands.Result traced(String... args) {
    return cluster.succeeded(cluster.shoalWith(Map.of("SHOAL_TRACE_ENDPOINT", zipkin.endpoint()), null, args), args);
  }

  @Test
  void aCreateIsOneTraceFromTheCliToTheAgentsContainerStartInOrder() {
    // An image no engine of the lab has, by its tag: the registry service resolves it and the
    // agent pulls it, inside the trace.
    TestImages.busybox(registry, "e2e/traced:1").push(docker);
    traced("service", "create", "--name", "traced", registry.image("e2e/traced") + ":1", "sleep", "1d");

    List<Span> trace = awaitTrace("shoal service create", "start container");
    assertThat(trace.stream().map(Span::service).collect(Collectors.toSet())).containsAll(Set.of(
        "shoal-cli", "shoal-control", "shoal-registry", "shoal-scheduler", "shoal-dispatcher", "shoal-node-agent"));
    List<Span> path = List.of(
        first(trace, "shoal-cli", "shoal service create"),
        first(trace, "shoal-control", "shoal.v1.controlservice/createservice"),
        first(trace, "shoal-registry", "head"),
        first(trace, "shoal-control", "etcd txn"),
        first(trace, "shoal-scheduler", "schedule traced"),
        first(trace, "shoal-scheduler", "place tasks"),
        first(trace, "shoal-dispatcher", "assign traced.1"),
        firstStartingWith(trace, "shoal-node-agent", "pull "),
        first(trace, "shoal-node-agent", "create container"),
        first(trace, "shoal-node-agent", "start container"));
    assertThat(path).isSortedAccordingTo(Comparator.comparingLong(Span::timestamp));
    // The hops through etcd are parent and child, not only the same trace id.
    Span schedule = first(trace, "shoal-scheduler", "schedule traced");
    assertThat(schedule.parentId()).isEqualTo(first(trace, "shoal-control", "shoal.v1.controlservice/createservice").id());
    assertThat(first(trace, "shoal-node-agent", "start container").parentId()).isEqualTo(schedule.id());
  }

  @Test
  void anUpdateIsOneTraceToTheAgentThatStopsTheOldContainerAndStartsTheNew() {
    String image = TestImages.busybox(registry, "e2e/traced-update:1").push(docker);
    cluster.succeed("service", "create", "--name", "retraced", image, "sleep", "1d");
    traced("service", "update", "--env-add", "STEP=2", "retraced");

    List<Span> trace = awaitTrace("shoal service update", "start container");
    assertThat(trace.stream().map(Span::service).collect(Collectors.toSet()))
        .contains("shoal-cli", "shoal-control", "shoal-scheduler", "shoal-dispatcher", "shoal-node-agent");
    assertThat(trace.stream().map(Span::name))
        .contains("schedule retraced", "stop container", "create container", "start container");
  }

  @Test
  void aRemovalIsOneTraceToTheAgentThatStopsAndRemovesTheContainer() {
    String image = TestImages.busybox(registry, "e2e/traced-rm:1").push(docker);
    cluster.succeed("service", "create", "--name", "untraced", image, "sleep", "1d");
    traced("service", "rm", "untraced");

    List<Span> trace = awaitTrace("shoal service rm", "remove container");
    assertThat(trace.stream().map(Span::service).collect(Collectors.toSet()))
        .contains("shoal-cli", "shoal-control", "shoal-scheduler", "shoal-dispatcher", "shoal-node-agent");
    assertThat(trace.stream().map(Span::name)).contains("etcd txn", "schedule untraced", "stop container");
  }

  @Test
  void aTraceStoreThatDoesNotAnswerNeitherFailsNorHoldsACommand() {
    // Port 9 of loopback: nothing listens; the spans are dropped when the command ends.
    Commands.Result listed = cluster.shoalWith(Map.of("SHOAL_TRACE_ENDPOINT", "http://127.0.0.1:9"), null,
        "service", "ls");
    assertThat(listed.ok()).as(listed.stderr()).isTrue();
    Commands.Result refused = cluster.shoalWith(Map.of("SHOAL_TRACE_ENDPOINT", "zipkin:9411"), null, "service", "ls");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr().strip())
        .isEqualTo("shoal: SHOAL_TRACE_ENDPOINT: expected http://HOST:PORT[/api/v2/spans] (Zipkin), got 'zipkin:9411'");
  }

  /** The trace whose root is the CLI's {@code command}, once it holds a span named {@code last}. */
  private List<Span> awaitTrace(String command, String last) {
    List<List<Span>> found = new ArrayList<>();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
      found.clear();
      for (JsonElement listed : JsonParser.parseString(zipkin.traces("shoal-cli", command)).getAsJsonArray()) {
        String traceId = listed.getAsJsonArray().get(0).getAsJsonObject().get("traceId").getAsString();
        List<Span> spans = spans(JsonParser.parseString(zipkin.trace(traceId)).getAsJsonArray());
        if (spans.stream().anyMatch(s -> s.name().equals(last))) {
          found.add(spans);
        }
      }
      return found.size() == 1;
    });
    return found.get(0);
  }

  private static List<Span> spans(JsonArray json) {
    List<Span> spans = new ArrayList<>();
    for (JsonElement e : json) {
      JsonObject o = e.getAsJsonObject();
      spans.add(new Span(o.get("id").getAsString(),
          Optional.ofNullable(o.get("parentId")).map(JsonElement::getAsString).orElse(""),
          o.getAsJsonObject("localEndpoint").get("serviceName").getAsString(),
          o.has("name") ? o.get("name").getAsString() : "",
          o.get("timestamp").getAsLong()));
    }
    return spans;
  }

  private static Span first(List<Span> trace, String service, String name) {
    return trace.stream().filter(s -> s.service().equals(service) && s.name().equals(name))
        .min(Comparator.comparingLong(Span::timestamp))
        .orElseThrow(() -> new AssertionError("no span " + service + " / " + name + " in " + trace));
  }

  private static Span firstStartingWith(List<Span> trace, String service, String prefix) {
    return trace.stream().filter(s -> s.service().equals(service) && s.name().startsWith(prefix))
        .min(Comparator.comparingLong(Span::timestamp))
        .orElseThrow(() -> new AssertionError("no span " + service + " / " + prefix + "… in " + trace));
  }

  /** A span as Zipkin returns it (names lower-cased, timestamps in microseconds). */
  private record Span(String id, String parentId, String service, String name, long timestamp) {}
}
