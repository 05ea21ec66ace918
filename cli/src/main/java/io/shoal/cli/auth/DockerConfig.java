package io.shoal.cli.auth;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.shoal.api.v1.RegistryAuth;
import io.shoal.cli.CliException;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.registry.ImageReference;
import io.shoal.common.registry.RegistryAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker client's {@code config.json} ({@code $DOCKER_CONFIG/config.json}, else
 * {@code ~/.docker/config.json}), as far as registry logins go: {@code auths} entries holding
 * base64 {@code user:password}, exactly as {@code docker login} writes them, so a login made
 * with either tool serves both. Other keys of the file are kept as they are. Credential
 * helpers ({@code credsStore}, {@code credHelpers}) are not run; a registry whose login lives
 * only there is named as such.
 *
 * <p>Uses Gson, which the CLI already has through protobuf-java-util.
 */
public final class DockerConfig {
  /** Where {@code docker login} keeps a Docker Hub login. */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private final Path file;

  public DockerConfig(Path file) {
    this.file = file;
  }

  /** The config of this environment: {@code DOCKER_CONFIG}, else {@code $HOME/.docker}. */
  public static DockerConfig of(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir == null || dir.isBlank()) {
      String home = env.getOrDefault("HOME", System.getProperty("user.home"));
      return new DockerConfig(Path.of(home, ".docker", "config.json"));
    }
    return new DockerConfig(Path.of(dir, "config.json"));
  }

  public Path file() {
    return file;
  }

  /** The login for {@code registry} (host[:port], docker.io for Docker Hub), if this file has one. */
  public Optional<RegistryAuth> find(String registry) {
    JsonObject root = read();
    JsonObject auths = root.has("auths") && root.get("auths").isJsonObject()
        ? root.getAsJsonObject("auths") : new JsonObject();
    for (Map.Entry<String, JsonElement> e : auths.entrySet()) {
      if (!RegistryAddress.normalize(e.getKey()).equals(registry) || !e.getValue().isJsonObject()) {
        continue;
      }
      JsonObject entry = e.getValue().getAsJsonObject();
      if (entry.has("auth") && !entry.get("auth").getAsString().isEmpty()) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(entry.get("auth").getAsString()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException ex) {
          throw new CliException("the login for " + registry + " in " + file + " is not valid base64;"
              + " run `shoal login " + registry + "` again");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
          throw new CliException("the login for " + registry + " in " + file + " is not user:password;"
              + " run `shoal login " + registry + "` again");
        }
        return Optional.of(auth(registry, decoded.substring(0, colon), decoded.substring(colon + 1)));
      }
      if (entry.has("username") && entry.has("password")) {
        return Optional.of(auth(registry, entry.get("username").getAsString(), entry.get("password").getAsString()));
      }
    }
    String helper = root.has("credHelpers") && root.getAsJsonObject("credHelpers").has(registry)
        ? root.getAsJsonObject("credHelpers").get(registry).getAsString()
        : root.has("credsStore") ? root.get("credsStore").getAsString() : null;
    if (helper != null) {
      throw new CliException("the login for " + registry + " may be kept by the credential helper docker-credential-"
          + helper + ", which shoal does not run; run `shoal login " + registry + "` to keep it in " + file);
    }
    return Optional.empty();
  }

  /** Stores a login for {@code registry}, replacing any, keeping the rest of the file; mode 0600. */
  public void save(String registry, String username, String password) {
    JsonObject root = read();
    if (!root.has("auths") || !root.get("auths").isJsonObject()) {
      root.add("auths", new JsonObject());
    }
    JsonObject auths = root.getAsJsonObject("auths");
    auths.keySet().stream().filter(k -> RegistryAddress.normalize(k).equals(registry)).toList().forEach(auths::remove);
    JsonObject entry = new JsonObject();
    entry.addProperty("auth", Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    auths.add(registry.equals(RegistryAddress.DOCKER_HUB) ? DOCKER_HUB_KEY : registry, entry);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "config", ".json.tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's own protection applies.
      }
      Files.writeString(tmp, GSON.toJson(root) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private JsonObject read() {
    if (!Files.exists(file)) {
      return new JsonObject();
    }
    try {
      JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
      if (!root.isJsonObject()) {
        throw new CliException(file + " is not a JSON object; fix or remove it");
      }
      return root.getAsJsonObject();
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (JsonParseException | IllegalStateException e) {
      throw new CliException(file + " is not valid JSON (" + e.getMessage() + "); fix or remove it", e);
    }
  }

  private static RegistryAuth auth(String registry, String username, String password) {
    return RegistryAuth.newBuilder().setServerAddress(registry).setUsername(username).setPassword(password).build();
  }

  /**
   * The registry an image reference names ({@link ImageReference}, Docker's rule: a first path
   * component with a '.', a ':' or an upper-case letter, or {@code localhost}, is a registry;
   * otherwise Docker Hub).
   *
   * @throws CliException naming what is wrong with a malformed reference
   */
  public static String registryOf(String image) {
    try {
      return RegistryAddress.normalize(ImageReference.parse(image, "image").registry());
    } catch (InvalidArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
