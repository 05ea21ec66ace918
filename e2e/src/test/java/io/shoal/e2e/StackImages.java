package io.shoal.e2e;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerTestEngine;
import io.shoal.testing.LabExtension;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of deploy/images.sh, built once per test JVM on the test's engine (they take a
 * while: two jlinks and an import each) and shared by the tests that need them. Named for this
 * run ({@code shoal-it-PID/...:test}), and removed when the JVM exits.
 */
final class StackImages {
  /** The service images, each named for its part, entrypoint its launcher. */
  static final List<String> PARTS = List.of("control", "registry", "scheduler", "dispatcher", "agent", "mesh-proxy");
  /** Every image images.sh makes. */
  static final List<String> ALL = List.of("jre", "shoal", "control", "registry", "scheduler", "dispatcher", "agent",
      "mesh-proxy", "etcd", "prometheus", "zipkin");
  static final String TAG = "test";
  private static StackImages built;

  final String prefix;
  /** What images.sh printed: one line per image with its size. */
  final String sizes;
  /** Seconds images.sh took. */
  final double seconds;

  private StackImages(String prefix, String sizes, double seconds) {
    this.prefix = prefix;
    this.sizes = sizes;
    this.seconds = seconds;
  }

  static synchronized StackImages on(DockerTestEngine engine) {
    if (built == null) {
      String prefix = "shoal-it-" + ProcessHandle.current().pid();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(engine, prefix), "stack-images-rm"));
      long start = System.nanoTime();
      Commands.Result r = Commands.run(List.of("env", "DOCKER_HOST=" + engine.host(),
          "ZIPKIN_JAR=" + System.getProperty("shoal.zipkin.jar"),
          LabExtension.repoRoot().resolve("deploy/images.sh").toString(), "--prefix", prefix, "--tag", TAG));
      if (!r.ok()) {
        throw new AssertionError("deploy/images.sh failed (" + r.exitCode() + "):\n" + r.stdout() + r.stderr());
      }
      built = new StackImages(prefix, r.stdout(), (System.nanoTime() - start) / 1e9);
    }
    return built;
  }

  /** PREFIX/NAME:TAG. */
  String image(String name) {
    return prefix + "/" + name + ":" + TAG;
  }

  private static void remove(DockerTestEngine engine, String prefix) {
    List<String> args = new ArrayList<>(List.of("image", "rm", "-f"));
    ALL.forEach(name -> args.add(prefix + "/" + name + ":" + TAG));
    engine.tryDocker(args.toArray(String[]::new));
  }
}
