package io.shoal.control.fuzz;

import com.google.protobuf.TextFormat;
import io.shoal.api.v1.ServiceSpec;
import java.util.List;

/** Valid specs the fuzz tests mutate: the smallest, one that uses most of the spec, a global one. */
public final class ServiceSpecSeeds {
  private static final String SMALLEST = """
      name: "web" container { image: "127.0.0.1:5000/fuzz/web:1" }
      """;
  private static final String FULL = """
      name: "full" labels { key: "tier" value: "front" }
      container {
        image: "127.0.0.1:5000/fuzz/full:2" args: "httpd" args: "-f" env: "A=1" env: "B=two"
        workdir: "/www" user: "0" init: true hostname: "{{.Service.Name}}-{{.Task.Slot}}"
        labels { key: "l" value: "v" } stop_grace_period { seconds: 5 }
        mounts { type: TYPE_TMPFS target: "/tmp/cache" }
        mounts { type: TYPE_VOLUME source: "data" target: "/data" }
        healthcheck { test: "CMD" test: "true" interval { seconds: 5 } retries: 3 }
        sysctls { key: "net.core.somaxconn" value: "1024" }
      }
      replicated { replicas: 3 }
      endpoint { ports { protocol: PROTOCOL_TCP target_port: 80 } ports { target_port: 81 publish_mode: PUBLISH_MODE_HOST published_port: 8081 } }
      update_config { parallelism: 2 delay { seconds: 10 } order: UPDATE_ORDER_START_FIRST monitor { seconds: 5 } }
      rollback_config { parallelism: 1 }
      restart_policy { condition: RESTART_CONDITION_ON_FAILURE max_attempts: 3 delay { seconds: 1 } }
      placement { constraints: "node.role==worker" preferences { spread: "node.labels.zone" } max_replicas: 2 }
      resources { limits { nano_cpus: 500000000 memory_bytes: 67108864 } }
      """;
  private static final String GLOBAL = """
      name: "agent" container { image: "busybox" command: "sleep" args: "1d" }
      global {}
      endpoint { ports { target_port: 9100 publish_mode: PUBLISH_MODE_HOST } }
      """;

  private ServiceSpecSeeds() {}

  public static List<ServiceSpec> all() {
    return List.of(parse(SMALLEST), parse(FULL), parse(GLOBAL));
  }

  private static ServiceSpec parse(String text) {
    try {
      return TextFormat.parse(text, ServiceSpec.class);
    } catch (TextFormat.ParseException e) {
      throw new IllegalStateException("a fuzz seed does not parse: " + e.getMessage(), e);
    }
  }
}
