package io.shoal.cli.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A compose file (version 3) as {@code stack deploy} reads it: YAML parsed with SnakeYAML Engine,
 * variables substituted from the caller's environment, top-level keys checked. Paths in it
 * ({@code env_file}, bind mounts, secret files) are relative to {@link #dir}.
 */
public final class ComposeFile {
  private static final Set<String> TOP_LEVEL = Set.of("version", "services", "networks", "volumes", "secrets",
      "configs", "name");

  private final Map<String, Object> root;
  private final Path dir;
  private final Set<String> unsetVariables;

  private ComposeFile(Map<String, Object> root, Path dir, Set<String> unsetVariables) {
    this.root = root;
    this.dir = dir;
    this.unsetVariables = unsetVariables;
  }

  /**
   * @param name the file's name, for errors
   * @param dir the directory relative paths in the file are read against
   */
  public static ComposeFile parse(String name, String yaml, Path dir, Map<String, String> env) {
    Object loaded;
    try {
      loaded = new Load(LoadSettings.builder().setLabel(name).build()).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new ComposeException(name + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
    }
    if (loaded == null) {
      throw new ComposeException(name + ": empty; a compose file has at least `services:`");
    }
    Interpolation interpolation = new Interpolation(env);
    Map<String, Object> root = Values.map(interpolation.apply(loaded, ""), name);
    for (String key : root.keySet()) {
      if (!TOP_LEVEL.contains(key) && !key.startsWith("x-")) {
        throw new ComposeException(name + ": additional property " + key + " is not allowed (top level: "
            + String.join(", ", TOP_LEVEL.stream().sorted().toList()) + ", x-*)");
      }
    }
    Object version = root.get("version");
    if (version != null && !String.valueOf(version).startsWith("3")) {
      throw new ComposeException(name + ": version " + version + " is not a version 3 file, which stack deploy takes");
    }
    if (Values.map(root.get("services"), "services").isEmpty()) {
      throw new ComposeException(name + ": no services: a stack needs at least one under `services:`");
    }
    return new ComposeFile(root, dir, interpolation.unset());
  }

  public Path dir() {
    return dir;
  }

  /** Variables the file uses that the environment does not set (each became ""). */
  public Set<String> unsetVariables() {
    return unsetVariables;
  }

  public Map<String, Object> services() {
    return Values.map(root.get("services"), "services");
  }

  /** A top-level section: networks, volumes, secrets or configs. */
  public Map<String, Object> section(String name) {
    return Values.map(root.get(name), name);
  }

  static List<String> topLevelKeys() {
    return List.copyOf(TOP_LEVEL);
  }
}
