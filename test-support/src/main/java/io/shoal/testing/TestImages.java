package io.shoal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Busybox images for tests, built here because nothing can be pulled from the internet: a rootfs
 * holding {@code /bin/busybox} (Debian's {@code busybox-static}) and its applet links, imported
 * with {@code tar -C ROOT -c . | docker import - NAME:TAG} and pushed to a test registry.
 *
 * <pre>{@code
 * String image = TestImages.busybox(registry.image("shoal-test/web") + ":1")
 *     .file("/www/index.html", "hello")
 *     .push(docker);   // 127.0.0.1:5123/shoal-test/web:1@sha256:…
 * }</pre>
 *
 * <p>A tool busybox lacks comes from this machine with {@link #program}: busybox has no UDP
 * server, so a UDP service runs Debian's {@code socat}, e.g. {@code socat UDP-RECVFROM:53,fork
 * 'SYSTEM:hostname'} answers each datagram with its task's hostname.
 *
 * <pre>{@code
 * String image = TestImages.busybox(registry.image("shoal-test/udp") + ":1")
 *     .program(TestImages.SOCAT)
 *     .push(docker);
 * }</pre>
 *
 * <p>Always run tasks from an image in a registry: a bare local name makes the engine try
 * Docker Hub.
 */
public final class TestImages {
  public static final Path BUSYBOX = Path.of("/usr/bin/busybox");
  /** Debian's {@code socat}: a UDP server (busybox-static has none). */
  public static final Path SOCAT = Path.of("/usr/bin/socat");
  public static final List<String> APPLETS = List.of(
      "sh", "ash", "httpd", "sleep", "wget", "cat", "echo", "env", "pwd", "id", "ls", "nc",
      "true", "false", "ps", "kill", "printf", "test", "mkdir", "rm", "touch", "hostname",
      "grep", "head", "tail", "date", "whoami", "uname", "tee", "wc", "sed", "awk", "seq",
      "timeout", "nslookup", "ping", "netstat", "vi", "dd", "chmod", "chown", "mv", "cp", "ln");
  private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

  private final String nameTag;
  /** The name the test engine imports and pushes: {@code nameTag} but for a relayed registry. */
  private String pushName;
  private final Map<String, String> files = new LinkedHashMap<>();
  private final List<String> changes = new ArrayList<>();
  private final List<Path> programs = new ArrayList<>();
  private String username = "";
  private String password = "";

  private TestImages(String nameTag) {
    this.nameTag = nameTag;
    this.pushName = nameTag;
  }

  /** A busybox image to be named {@code nameTag} ({@code REGISTRY/REPO:TAG}). */
  public static TestImages busybox(String nameTag) {
    if (!nameTag.substring(nameTag.lastIndexOf('/') + 1).contains(":")) {
      throw new IllegalArgumentException("give the image a tag: " + nameTag);
    }
    return new TestImages(nameTag);
  }

  /**
   * A busybox image {@code repositoryTag} ({@code REPO:TAG}) in {@code registry}, named with its
   * {@link RegistryTestServer#address() address} and pushed to its
   * {@link RegistryTestServer#pushAddress() push address} (the same registry, e.g. on loopback
   * when the address is a lab's relay), with its credentials when it requires auth.
   */
  public static TestImages busybox(RegistryTestServer registry, String repositoryTag) {
    TestImages image = busybox(registry.image(repositoryTag));
    image.pushName = registry.pushAddress() + "/" + repositoryTag;
    return image.credentials(registry);
  }

  /** Adds a file with {@code content} at the absolute {@code path} in the image. */
  public TestImages file(String path, String content) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("absolute path expected: " + path);
    }
    files.put(path, content);
    return this;
  }

  /**
   * Adds a program of this machine (e.g. {@link #SOCAT}) at its own path, with the shared
   * libraries and the loader it needs.
   */
  public TestImages program(Path hostProgram) {
    programs.add(hostProgram);
    return this;
  }

  /** The image's default command, as Dockerfile's exec form {@code CMD ["httpd", "-f"]}. */
  public TestImages cmd(String... words) {
    String json = List.of(words).stream()
        .map(w -> '"' + w.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
        .collect(Collectors.joining(", ", "[", "]"));
    changes.add("CMD " + json);
    return this;
  }

  /** The image's HEALTHCHECK, as Dockerfile's {@code HEALTHCHECK --interval=1s CMD test -f /ready}. */
  public TestImages healthcheck(String instruction) {
    changes.add("HEALTHCHECK " + instruction);
    return this;
  }

  /** Logs in with these credentials before pushing (a registry with basic auth). */
  public TestImages credentials(String user, String pass) {
    this.username = user;
    this.password = pass;
    return this;
  }

  /** Logs in to {@code registry} before pushing when it requires auth. */
  public TestImages credentials(RegistryTestServer registry) {
    return registry.requiresAuth() ? credentials(registry.username(), registry.password()) : this;
  }

  /** Imports the image into {@code engine} only; returns the name it has there. */
  public String build(DockerTestEngine engine) {
    Path root = ExternalProcess.tempDir("shoal-rootfs");
    try {
      writeRootfs(root);
      List<String> importCmd = new ArrayList<>(List.of(DockerTestEngine.CLI, "-H", engine.host(), "import"));
      for (String change : changes) {
        importCmd.add("--change");
        importCmd.add(change);
      }
      importCmd.add("-");
      importCmd.add(pushName);
      Commands.pipe(List.of("tar", "-C", root.toString(), "-c", "."), importCmd).orThrow();
      return pushName;
    } finally {
      ExternalProcess.deleteTree(root);
    }
  }

  /**
   * Imports the image into {@code engine} and pushes it; returns the pinned {@code NAME:TAG@sha256:…}
   * (with the name it was given, whatever address it was pushed to).
   */
  public String push(DockerTestEngine engine) {
    build(engine);
    List<String> docker = List.of(DockerTestEngine.CLI, "-H", engine.host());
    Path config = null;
    if (!username.isEmpty()) {
      // A private client config, so the test never touches ~/.docker/config.json.
      config = ExternalProcess.tempDir("shoal-docker-config");
      docker = List.of(DockerTestEngine.CLI, "--config", config.toString(), "-H", engine.host());
      String registry = pushName.substring(0, pushName.indexOf('/'));
      Commands.run(concat(docker, "login", "-u", username, "--password-stdin", registry), password)
          .orThrow();
    }
    try {
      String output = Commands.run(concat(docker, "push", pushName)).orThrow();
      Matcher m = DIGEST.matcher(output);
      String digest;
      if (m.find()) {
        digest = m.group(1);
      } else {
        String repoDigest = engine.inspect("{{index .RepoDigests 0}}", pushName);
        digest = repoDigest.substring(repoDigest.indexOf('@') + 1);
      }
      return nameTag + "@" + digest;
    } finally {
      if (config != null) {
        ExternalProcess.deleteTree(config);
      }
    }
  }

  /**
   * Removes the image from {@code engine}'s local store (all its names), so that the next use
   * has to pull it from the registry. {@code reference} is what {@link #push} returned.
   */
  public static void removeLocal(DockerTestEngine engine, String reference) {
    engine.docker("rmi", "-f", engine.inspect("{{.Id}}", withoutTag(reference)));
  }

  /** {@code NAME:TAG@sha256:…} → {@code NAME@sha256:…}, which every engine version resolves. */
  static String withoutTag(String reference) {
    int at = reference.indexOf('@');
    if (at < 0) {
      return reference;
    }
    String name = reference.substring(0, at);
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      name = name.substring(0, colon);
    }
    return name + reference.substring(at);
  }

  private void writeRootfs(Path root) {
    try {
      Path bin = Files.createDirectories(root.resolve("bin"));
      Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
      for (String applet : APPLETS) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
      Files.createDirectories(root.resolve("tmp"));
      Files.createDirectories(root.resolve("etc"));
      Files.writeString(root.resolve("etc/passwd"),
          "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
      Files.writeString(root.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
      for (Path program : programs) {
        HostProgram.copyInto(program, root);
      }
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path target = root.resolve(file.getKey().substring(1));
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a busybox rootfs (is busybox-static installed?)", e);
    }
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
