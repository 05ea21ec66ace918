package io.shoal.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shoal.api.v1.NodeRole;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import io.shoal.cli.testing.FakeControlService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code shoal cluster ca} and {@code shoal cluster join-token}, in Docker's words. */
class ClusterCommandsTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  @Test
  void caPrintsTheFingerprintAndWithPemTheCertificate() {
    assertThat(cli.run("cluster", "ca").outLines()).containsExactly(FakeControlService.CA_DIGEST);

    Result pem = cli.run("cluster", "ca", "--pem");
    assertThat(pem.out()).isEqualTo(FakeControlService.CA_DIGEST + "\n" + FakeControlService.CA_PEM);
  }

  @Test
  void joinTokenPrintsTheCommandThatJoinsAWorker() {
    Result r = cli.run("cluster", "join-token", "worker");

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly(
        "To add a worker to this cluster, run the following command on it:",
        "",
        "    shoal-node-agent --join-token " + cli.control().joinToken(NodeRole.NODE_ROLE_WORKER)
            + " --manager " + cli.targets().get(0),
        "");
  }

  @Test
  void quietPrintsTheTokenAloneAndRotateMakesANewOne() {
    String before = cli.control().joinToken(NodeRole.NODE_ROLE_MANAGER);

    Result rotated = cli.run("cluster", "join-token", "--rotate", "-q", "manager");

    assertThat(rotated.outLines()).containsExactly(cli.control().joinToken(NodeRole.NODE_ROLE_MANAGER));
    assertThat(rotated.out()).doesNotContain(before);
    assertThat(cli.run("cluster", "join-token", "--rotate", "worker").outLines())
        .startsWith("Successfully rotated worker join token.", "");
  }

  @Test
  void anUnknownRoleIsOneLineAndNothingIsAsked() {
    Result r = cli.run("cluster", "join-token", "admin");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: unknown role admin: use worker or manager");
  }

  @Test
  void controlWithoutACaIsItsReasonInOneLine() {
    cli.control().failNext("GetClusterCa", Status.FAILED_PRECONDITION.withDescription(
        "control runs without a cluster key, so the cluster has no CA"));

    Result r = cli.run("cluster", "ca");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).contains("control runs without a cluster key, so the cluster has no CA");
  }
}
