package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/images.sh on the test's engine (issue #15, item 2): every image builds without a pull,
 * each service image is at most 150 MiB and its launcher answers --help on the jlink'd JRE, the
 * only Java in it; that JRE holds every module Shoal's own jars use (--help loads too little to
 * show a missing one: java.management once got as far as ComposeStackIT, where no part started).
 */
@ExtendWith(DockerExtension.class)
class StackImagesIT {
  private static final double MAX_MIB = 150;

  @Test
  void everyServiceImageRunsItsLauncher(DockerTestEngine docker) throws IOException {
    StackImages images = StackImages.on(docker);
    System.out.printf("deploy/images.sh took %.1f s:%n%s", images.seconds, images.sizes);
    for (String part : StackImages.PARTS) {
      String image = images.image(part);
      double mib = Double.parseDouble(docker.inspect("{{.Size}}", image).strip()) / (1024 * 1024);
      assertThat(mib).as(image + " in MiB").isLessThanOrEqualTo(MAX_MIB);
      Commands.Result help = docker.tryDocker("run", "--rm", "--network", "none", image, "--help");
      assertThat(help.exitCode()).as(image + " --help: " + help.stdout() + help.stderr()).isZero();
      assertThat(help.stdout()).as(image + " --help").contains("Usage:").contains("--cert-dir");
    }
    assertThat(modulesOf(images.image("shoal"), docker)).as("the JRE's modules: deploy/images.sh's SHOAL_MODULES")
        .containsAll(modulesShoalUses());
    Commands.Result cli = docker.tryDocker("run", "--rm", "--network", "none", images.image("shoal"), "--help");
    assertThat(cli.exitCode()).as("the CLI's image: " + cli.stderr()).isZero();
    Commands.Result etcd = docker.tryDocker("run", "--rm", "--network", "none", images.image("etcd"), "--version");
    assertThat(etcd.stdout()).as("etcd's image: " + etcd.stderr()).contains("etcd Version");
    Commands.Result prometheus = docker.tryDocker("run", "--rm", "--network", "none", images.image("prometheus"), "--version");
    assertThat(prometheus.stdout() + prometheus.stderr()).as("Prometheus's image").contains("prometheus, version");
  }

  /** The JDK modules Shoal's own jars in the release archive refer to (jdeps; about 2 s). */
  private static List<String> modulesShoalUses() throws IOException {
    List<String> command = new ArrayList<>(List.of("jdeps", "--print-module-deps", "--ignore-missing-deps",
        "--multi-release", "17"));
    try (Stream<Path> jars = Files.list(ReleaseArchive.unpacked().home.resolve("lib"))) {
      jars.filter(jar -> jar.getFileName().toString().startsWith("shoal-")).map(Path::toString).forEach(command::add);
    }
    return List.of(Commands.run(command).orThrow().strip().split(","));
  }

  /** The modules of the JRE in {@code image}, without their versions. */
  private static List<String> modulesOf(String image, DockerTestEngine docker) {
    Commands.Result listed = docker.tryDocker("run", "--rm", "--network", "none", "--entrypoint", "/opt/java/bin/java",
        image, "--list-modules");
    assertThat(listed.exitCode()).as(image + " java --list-modules: " + listed.stderr()).isZero();
    return listed.stdout().lines().map(line -> line.replaceFirst("@.*$", "").strip()).toList();
  }
}
