package io.shoal.cli.compose;

import io.shoal.api.v1.HealthConfig;
import io.shoal.api.v1.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One compose service as the {@code service create} command line that means the same, so that a
 * stack is parsed and checked by exactly the grammar of the flags (ports, mounts, constraints,
 * durations...). What flags cannot say (a healthcheck's exec form) is set on the spec after.
 * Keys Docker ignores for a stack are reported as ignored, as Docker reports them; any other key
 * Shoal does not know is refused, never dropped.
 */
public final class ServiceArgs {
  /** Keys `docker stack deploy` ignores (it prints "Ignoring unsupported options: ..."). */
  static final Set<String> IGNORED = Set.of("build", "cgroup_parent", "cgroupns_mode", "container_name", "depends_on",
      "devices", "domainname", "external_links", "ipc", "links", "mac_address", "network_mode", "pid", "privileged",
      "restart", "security_opt", "shm_size", "userns_mode", "expose", "stdin_open", "isolation");
  private static final Set<String> KNOWN = Set.of("image", "command", "entrypoint", "environment", "env_file", "ports",
      "deploy", "healthcheck", "labels", "hostname", "dns", "dns_search", "dns_opt", "extra_hosts", "cap_add",
      "cap_drop", "read_only", "stop_signal", "stop_grace_period", "sysctls", "ulimits", "tty", "user",
      "working_dir", "init", "logging", "volumes", "networks", "secrets", "configs");
  private static final Set<String> DEPLOY = Set.of("mode", "replicas", "placement", "resources", "restart_policy",
      "update_config", "rollback_config", "endpoint_mode", "labels");

  /**
   * @param args the {@code service create} arguments, image and command last
   * @param adjust what the flags cannot say, applied to the built spec
   * @param ignored keys Docker ignores too, for the warning
   */
  public record Converted(String name, List<String> args, Consumer<ServiceSpec.Builder> adjust, List<String> ignored) {}

  private final String stack;
  private final ComposeFile file;
  private final List<String> args = new ArrayList<>();
  private final List<String> ignored = new ArrayList<>();
  private Consumer<ServiceSpec.Builder> adjust = b -> {};

  private ServiceArgs(String stack, ComposeFile file) {
    this.stack = stack;
    this.file = file;
  }

  /** The service {@code key} of {@code file} in stack {@code stack}. */
  public static Converted convert(String stack, ComposeFile file, String key) {
    ServiceArgs c = new ServiceArgs(stack, file);
    return c.service(key, Values.map(file.services().get(key), "services." + key));
  }

  private Converted service(String key, Map<String, Object> s) {
    String at = "services." + key;
    for (String k : s.keySet()) {
      if (IGNORED.contains(k)) {
        ignored.add(k);
      } else if (!KNOWN.contains(k) && !k.startsWith("x-")) {
        throw new ComposeException(at + ": additional property " + k + " is not allowed (Shoal cannot honour it)");
      }
    }
    String name = stack + "_" + key;
    flag("--name", name);
    flag("--detach");
    flag("--label", StackLabels.NAMESPACE + "=" + stack);
    String image = required(s, "image", at);
    flag("--label", StackLabels.IMAGE + "=" + image);
    Values.keyValues(s.get("environment"), at + ".environment").forEach(e -> flag("--env", e));
    for (String envFile : Values.strings(s.get("env_file"), at + ".env_file")) {
      flag("--env-file", file.dir().resolve(envFile).toString());
    }
    ports(s.get("ports"), at + ".ports");
    deploy(Values.map(s.get("deploy"), at + ".deploy"), at + ".deploy");
    Values.keyValues(s.get("labels"), at + ".labels").forEach(l -> flag("--container-label", l));
    optional(s, "hostname", "--hostname", at);
    Values.strings(s.get("dns"), at + ".dns").forEach(d -> flag("--dns", d));
    Values.strings(s.get("dns_search"), at + ".dns_search").forEach(d -> flag("--dns-search", d));
    Values.strings(s.get("dns_opt"), at + ".dns_opt").forEach(d -> flag("--dns-option", d));
    extraHosts(s.get("extra_hosts"), at + ".extra_hosts");
    Values.strings(s.get("cap_add"), at + ".cap_add").forEach(c -> flag("--cap-add", c));
    Values.strings(s.get("cap_drop"), at + ".cap_drop").forEach(c -> flag("--cap-drop", c));
    bool(s, "read_only", "--read-only", at);
    bool(s, "tty", "--tty", at);
    bool(s, "init", "--init", at);
    optional(s, "stop_signal", "--stop-signal", at);
    optional(s, "stop_grace_period", "--stop-grace-period", at);
    optional(s, "user", "--user", at);
    optional(s, "working_dir", "--workdir", at);
    Values.keyValues(s.get("sysctls"), at + ".sysctls").forEach(x -> flag("--sysctl", x));
    ulimits(Values.map(s.get("ulimits"), at + ".ulimits"), at + ".ulimits");
    logging(Values.map(s.get("logging"), at + ".logging"), at + ".logging");
    volumes(s.get("volumes"), at + ".volumes");
    networks(s.get("networks"), at + ".networks");
    files("secrets", "--secret", s.get("secrets"), at + ".secrets");
    files("configs", "--config", s.get("configs"), at + ".configs");
    healthcheck(Values.map(s.get("healthcheck"), at + ".healthcheck"), at + ".healthcheck");
    if (s.containsKey("entrypoint")) {
      flag("--entrypoint", words(s.get("entrypoint"), at + ".entrypoint"));
    }
    if (s.get("command") instanceof String command) {
      flag("--args", command);
      args.add(image);
    } else {
      args.add(image);
      args.addAll(Values.strings(s.get("command"), at + ".command"));
    }
    return new Converted(name, List.copyOf(args), adjust, List.copyOf(ignored));
  }

  private void deploy(Map<String, Object> d, String at) {
    for (String k : d.keySet()) {
      if (!DEPLOY.contains(k)) {
        throw new ComposeException(at + ": additional property " + k + " is not allowed (deploy takes "
            + String.join(", ", DEPLOY.stream().sorted().toList()) + ")");
      }
    }
    optional(d, "mode", "--mode", at);
    optional(d, "replicas", "--replicas", at);
    optional(d, "endpoint_mode", "--endpoint-mode", at);
    Values.keyValues(d.get("labels"), at + ".labels").forEach(l -> flag("--label", l));
    Map<String, Object> placement = Values.map(d.get("placement"), at + ".placement");
    Values.only(placement, at + ".placement", "constraints", "preferences", "max_replicas_per_node");
    Values.strings(placement.get("constraints"), at + ".placement.constraints").forEach(c -> flag("--constraint", c));
    Object prefs = placement.get("preferences");
    if (prefs != null) {
      if (!(prefs instanceof List<?> list)) {
        throw new ComposeException(at + ".placement.preferences must be a list of {spread: LABEL}");
      }
      for (int i = 0; i < list.size(); i++) {
        Map<String, Object> p = Values.map(list.get(i), at + ".placement.preferences[" + i + "]");
        Values.only(p, at + ".placement.preferences[" + i + "]", "spread");
        flag("--placement-pref", "spread=" + required(p, "spread", at + ".placement.preferences[" + i + "]"));
      }
    }
    optional(placement, "max_replicas_per_node", "--replicas-max-per-node", at + ".placement");
    Map<String, Object> resources = Values.map(d.get("resources"), at + ".resources");
    Values.only(resources, at + ".resources", "limits", "reservations");
    for (String kind : List.of("limits", "reservations")) {
      Map<String, Object> r = Values.map(resources.get(kind), at + ".resources." + kind);
      Values.only(r, at + ".resources." + kind, "cpus", "memory");
      String flag = kind.equals("limits") ? "--limit-" : "--reserve-";
      optional(r, "cpus", flag + "cpu", at + ".resources." + kind);
      optional(r, "memory", flag + "memory", at + ".resources." + kind);
    }
    Map<String, Object> restart = Values.map(d.get("restart_policy"), at + ".restart_policy");
    Values.only(restart, at + ".restart_policy", "condition", "delay", "max_attempts", "window");
    for (String k : List.of("condition", "delay", "max_attempts", "window")) {
      optional(restart, k, "--restart-" + k.replace('_', '-'), at + ".restart_policy");
    }
    for (String which : List.of("update", "rollback")) {
      Map<String, Object> u = Values.map(d.get(which + "_config"), at + "." + which + "_config");
      Values.only(u, at + "." + which + "_config", "parallelism", "delay", "failure_action", "monitor",
          "max_failure_ratio", "order");
      for (String k : List.of("parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order")) {
        optional(u, k, "--" + which + "-" + k.replace('_', '-'), at + "." + which + "_config");
      }
    }
  }

  private void ports(Object ports, String at) {
    if (ports == null) {
      return;
    }
    if (!(ports instanceof List<?> list)) {
      throw new ComposeException(at + " must be a list");
    }
    for (int i = 0; i < list.size(); i++) {
      Object p = list.get(i);
      if (p instanceof Map<?, ?>) {
        String path = at + "[" + i + "]";
        Map<String, Object> m = Values.map(p, path);
        Values.only(m, path, "target", "published", "protocol", "mode");
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + "=" + Values.string(v, path + "." + k)));
        flag("--publish", String.join(",", parts));
      } else {
        flag("--publish", Values.string(p, at + "[" + i + "]"));
      }
    }
  }

  private void extraHosts(Object hosts, String at) {
    if (hosts instanceof Map<?, ?>) {
      Values.map(hosts, at).forEach((h, ip) -> flag("--host", h + ":" + Values.string(ip, at + "." + h)));
    } else {
      Values.strings(hosts, at).forEach(h -> flag("--host", h));
    }
  }

  private void ulimits(Map<String, Object> ulimits, String at) {
    ulimits.forEach((name, v) -> {
      if (v instanceof Map<?, ?>) {
        Map<String, Object> m = Values.map(v, at + "." + name);
        Values.only(m, at + "." + name, "soft", "hard");
        flag("--ulimit", name + "=" + Values.integer(m.get("soft"), at + "." + name + ".soft") + ":"
            + Values.integer(m.get("hard"), at + "." + name + ".hard"));
      } else {
        flag("--ulimit", name + "=" + Values.integer(v, at + "." + name));
      }
    });
  }

  private void logging(Map<String, Object> logging, String at) {
    Values.only(logging, at, "driver", "options");
    optional(logging, "driver", "--log-driver", at);
    Values.keyValues(logging.get("options"), at + ".options").forEach(o -> flag("--log-opt", o));
  }

  /** Short syntax {@code [SOURCE:]TARGET[:ro]} or the long one, as {@code --mount}. */
  private void volumes(Object volumes, String at) {
    if (volumes == null) {
      return;
    }
    if (!(volumes instanceof List<?> list)) {
      throw new ComposeException(at + " must be a list");
    }
    Map<String, Object> named = file.section("volumes");
    for (int i = 0; i < list.size(); i++) {
      String path = at + "[" + i + "]";
      Object v = list.get(i);
      if (v instanceof Map<?, ?>) {
        Map<String, Object> m = Values.map(v, path);
        Values.only(m, path, "type", "source", "target", "read_only");
        String type = m.containsKey("type") ? Values.string(m.get("type"), path + ".type") : "volume";
        String source = m.containsKey("source") ? Values.string(m.get("source"), path + ".source") : "";
        mount(type, source, required(m, "target", path), m.containsKey("read_only")
            && Values.bool(m.get("read_only"), path + ".read_only"), named, path);
        continue;
      }
      String[] parts = Values.string(v, path).split(":");
      if (parts.length == 1) {
        mount("volume", "", parts[0], false, named, path);
      } else if (parts.length <= 3) {
        boolean ro = parts.length == 3 && parts[2].equals("ro");
        if (parts.length == 3 && !ro && !parts[2].equals("rw")) {
          throw new ComposeException(path + ": mode " + parts[2] + " must be ro or rw");
        }
        boolean bind = parts[0].startsWith("/") || parts[0].startsWith(".") || parts[0].startsWith("~");
        mount(bind ? "bind" : "volume", parts[0], parts[1], ro, named, path);
      } else {
        throw new ComposeException(path + ": \"" + v + "\" must be [SOURCE:]TARGET[:ro|rw]");
      }
    }
  }

  private void mount(String type, String source, String target, boolean readOnly, Map<String, Object> named,
      String path) {
    String src = source;
    StringBuilder options = new StringBuilder();
    if (type.equals("bind")) {
      src = file.dir().resolve(source.startsWith("~") ? System.getProperty("user.home") + source.substring(1)
          : source).normalize().toString();
    } else if (type.equals("volume") && !source.isEmpty()) {
      if (!named.containsKey(source)) {
        throw new ComposeException(path + ": volume " + source + " is not declared under the top-level `volumes:`");
      }
      Map<String, Object> def = Values.map(named.get(source), "volumes." + source);
      Values.only(def, "volumes." + source, "driver", "driver_opts", "external", "labels", "name");
      src = Values.external(def, "volumes." + source) ? def.getOrDefault("name", source).toString() : stack + "_" + source;
      // The volume's driver, options and labels go with each mount: the node's engine makes it.
      if (def.get("driver") != null) {
        options.append(",volume-driver=").append(Values.string(def.get("driver"), "volumes." + source + ".driver"));
      }
      Values.keyValues(def.get("driver_opts"), "volumes." + source + ".driver_opts")
          .forEach(o -> options.append(",volume-opt=").append(o));
      Values.keyValues(def.get("labels"), "volumes." + source + ".labels")
          .forEach(l -> options.append(",volume-label=").append(l));
    }
    flag("--mount", "type=" + type + (src.isEmpty() ? "" : ",source=" + src) + ",target=" + target
        + (readOnly ? ",readonly" : "") + options);
  }

  private void networks(Object networks, String at) {
    Map<String, Object> declared = file.section("networks");
    if (networks == null) {
      flag("--network", stack + "_default");
      return;
    }
    Map<String, Object> wanted = networks instanceof List<?>
        ? Values.strings(networks, at).stream().collect(java.util.stream.Collectors.toMap(n -> n, n -> Map.of(),
            (a, b) -> a, java.util.LinkedHashMap::new))
        : Values.map(networks, at);
    wanted.forEach((n, options) -> {
      if (!n.equals("default") && !declared.containsKey(n)) {
        throw new ComposeException(at + ": network " + n + " is not declared under the top-level `networks:`");
      }
      Map<String, Object> o = Values.map(options, at + "." + n);
      Values.only(o, at + "." + n, "aliases");
      StringBuilder value = new StringBuilder("name=").append(networkName(n, declared));
      Values.strings(o.get("aliases"), at + "." + n + ".aliases").forEach(a -> value.append(",alias=").append(a));
      flag("--network", value.toString());
    });
  }

  /** The cluster's name of compose network {@code n}: its own for an external one, else STACK_n. */
  String networkName(String n, Map<String, Object> declared) {
    Map<String, Object> def = Values.map(declared.get(n), "networks." + n);
    return Values.external(def, "networks." + n) ? def.getOrDefault("name", n).toString() : stack + "_" + n;
  }

  private void files(String section, String flag, Object refs, String at) {
    if (refs == null) {
      return;
    }
    if (!(refs instanceof List<?> list)) {
      throw new ComposeException(at + " must be a list");
    }
    Map<String, Object> declared = file.section(section);
    for (int i = 0; i < list.size(); i++) {
      String path = at + "[" + i + "]";
      Object r = list.get(i);
      Map<String, Object> m = r instanceof Map<?, ?> ? Values.map(r, path) : Map.of("source", Values.string(r, path));
      Values.only(m, path, "source", "target", "uid", "gid", "mode");
      String source = required(m, "source", path);
      if (!declared.containsKey(source)) {
        throw new ComposeException(path + ": " + section.substring(0, section.length() - 1) + " " + source
            + " is not declared under the top-level `" + section + ":`");
      }
      Map<String, Object> def = Values.map(declared.get(source), section + "." + source);
      String real = Values.external(def, section + "." + source) ? def.getOrDefault("name", source).toString()
          : stack + "_" + source;
      StringBuilder value = new StringBuilder("source=").append(real);
      value.append(",target=").append(m.containsKey("target") ? Values.string(m.get("target"), path + ".target")
          : source);
      for (String k : List.of("uid", "gid")) {
        if (m.containsKey(k)) {
          value.append(',').append(k).append('=').append(Values.string(m.get(k), path + "." + k));
        }
      }
      if (m.containsKey("mode")) {
        // YAML reads 0440 as the octal number 288; the flag takes octal digits.
        Object mode = m.get("mode");
        value.append(",mode=").append(mode instanceof Number n ? "0" + Long.toOctalString(n.longValue())
            : Values.string(mode, path + ".mode"));
      }
      flag(flag, value.toString());
    }
  }

  /** Docker's healthcheck keys; the exec form (["CMD", ...]) has no flag, so it is set on the spec. */
  private void healthcheck(Map<String, Object> h, String at) {
    if (h.isEmpty()) {
      return;
    }
    Values.only(h, at, "test", "interval", "timeout", "retries", "start_period", "disable");
    if (h.containsKey("disable") && Values.bool(h.get("disable"), at + ".disable")) {
      flag("--no-healthcheck");
      return;
    }
    for (String k : List.of("interval", "timeout", "start_period")) {
      optional(h, k, "--health-" + k.replace('_', '-'), at);
    }
    optional(h, "retries", "--health-retries", at);
    Object test = h.get("test");
    if (test instanceof String command) {
      flag("--health-cmd", command);
    } else if (test != null) {
      List<String> words = Values.strings(test, at + ".test");
      if (words.isEmpty() || !Set.of("NONE", "CMD", "CMD-SHELL").contains(words.get(0))) {
        throw new ComposeException(at + ".test: a list must start with NONE, CMD or CMD-SHELL");
      }
      Consumer<ServiceSpec.Builder> previous = adjust;
      adjust = b -> {
        previous.accept(b);
        HealthConfig.Builder hc = b.getContainerBuilder().getHealthcheckBuilder();
        hc.clearTest().addAllTest(words);
      };
    }
  }

  /** A list as one shell line, each word quoted, for the flags that take a command line. */
  private static String words(Object v, String at) {
    if (v instanceof String s) {
      return s;
    }
    return String.join(" ", Values.strings(v, at).stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
  }

  private static String required(Map<String, Object> m, String key, String at) {
    if (!m.containsKey(key) || m.get(key) == null) {
      throw new ComposeException(at + ": " + key + " is required");
    }
    return Values.string(m.get(key), at + "." + key);
  }

  private void optional(Map<String, Object> m, String key, String flag, String at) {
    if (m.containsKey(key) && m.get(key) != null) {
      flag(flag, Values.string(m.get(key), at + "." + key));
    }
  }

  /** A boolean key as its flag: true sets it, false is the flag's default, so nothing. */
  private void bool(Map<String, Object> m, String key, String flag, String at) {
    if (m.containsKey(key) && Values.bool(m.get(key), at + "." + key)) {
      flag(flag);
    }
  }

  private void flag(String... words) {
    args.addAll(List.of(words));
  }

}
