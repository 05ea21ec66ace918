package io.shoal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.testing.Commands;
import io.shoal.testing.DockerExtension;
import io.shoal.testing.DockerTestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/images.sh on the test's engine (issue #15, item 2): every image builds without a pull,
 * each service image is at most 150 MiB and its launcher answers --help on the jlink'd JRE, the
 * only Java in it.
 */
@ExtendWith(DockerExtension.class)
class StackImagesIT {
  private static final double MAX_MIB = 150;

  @Test
  void everyServiceImageRunsItsLauncher(DockerTestEngine docker) {
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
    Commands.Result cli = docker.tryDocker("run", "--rm", "--network", "none", images.image("shoal"), "--help");
    assertThat(cli.exitCode()).as("the CLI's image: " + cli.stderr()).isZero();
    Commands.Result etcd = docker.tryDocker("run", "--rm", "--network", "none", images.image("etcd"), "--version");
    assertThat(etcd.stdout()).as("etcd's image: " + etcd.stderr()).contains("etcd Version");
    Commands.Result prometheus = docker.tryDocker("run", "--rm", "--network", "none", images.image("prometheus"), "--version");
    assertThat(prometheus.stdout() + prometheus.stderr()).as("Prometheus's image").contains("prometheus, version");
  }
}
