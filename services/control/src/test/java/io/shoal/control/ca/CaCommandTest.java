package io.shoal.control.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.common.pki.CertDirectory;
import io.shoal.common.pki.ClusterCa;
import io.shoal.common.pki.ClusterKey;
import io.shoal.common.pki.NodeCredentials;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.pki.Role;
import io.shoal.control.ControlMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code shoal-control ca init} and {@code ca issue}, as dev.sh and the e2e clusters run them. */
class CaCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new ControlMain());
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  private Path clusterKey() throws IOException {
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, Base64.getEncoder().encodeToString(new byte[ClusterKey.KEY_BYTES]));
    return file;
  }

  @Test
  void initMakesACaAndIssueWritesACertDirectoryItSigned() throws Exception {
    Path key = clusterKey();
    Path pki = dir.resolve("pki");
    assertThat(run("ca", "init", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString())).isZero();
    ClusterCa ca = ClusterCa.load(pki, ClusterKey.fromFile(key));

    Path out = dir.resolve("etcd");
    assertThat(run("ca", "issue", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        "--role", "manager", "--name", "etcd", "--ip", "127.0.0.1", "--ip", "10.0.0.1", "--dns", "localhost",
        "--validity", "2d", "--out", out.toString())).as(err.toString()).isZero();

    CertDirectory.Contents contents = new CertDirectory(out).read();
    assertThat(contents.root()).isEqualTo(ca.root());
    PeerIdentity identity = ca.root().verify(List.of(contents.credentials().certificate()), Instant.now());
    assertThat(identity).isEqualTo(new PeerIdentity("etcd", Role.MANAGER, CaIssueCommand.clusterId(ca)));
    assertThat(contents.credentials().certificate().getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1)).containsExactly("127.0.0.1", "10.0.0.1", "localhost");
    assertThat(Duration.between(contents.credentials().notBefore(), contents.credentials().notAfter()))
        .isEqualTo(Duration.ofDays(2).plus(ClusterCa.BACKDATE));
    assertThat(Files.getPosixFilePermissions(out.resolve(CertDirectory.KEY_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void initRefusesToReplaceACa() throws Exception {
    Path key = clusterKey();
    Path pki = dir.resolve("pki");
    assertThat(run("ca", "init", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString())).isZero();
    String first = Files.readString(pki.resolve(ClusterCa.CERTIFICATE_FILE));

    assertThat(run("ca", "init", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("shoal-control ca init: " + pki + " already holds a CA");
    assertThat(Files.readString(pki.resolve(ClusterCa.CERTIFICATE_FILE))).isEqualTo(first);
  }

  @Test
  void issueRefusesAValidityBelowAnHourAndAMissingCaInOneLine() throws Exception {
    Path key = clusterKey();
    Path pki = dir.resolve("pki");
    assertThat(run("ca", "issue", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        "--role", "worker", "--name", "n1", "--validity", "59m", "--out", dir.resolve("o").toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("shoal-control ca issue: --validity PT59M is below the minimum of PT1H\n");

    err.getBuffer().setLength(0);
    assertThat(run("ca", "issue", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        "--role", "worker", "--name", "n1", "--out", dir.resolve("o").toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("shoal-control ca issue: ").doesNotContain("\tat ");
    assertThat(err.toString().lines()).hasSize(1);
  }

  @Test
  void issueBatchMakesTheCaAndEveryCertificateOfThePlanInOneRun() throws Exception {
    Path key = clusterKey();
    Path pki = dir.resolve("pki");
    Path plan = dir.resolve("plan");
    Files.writeString(plan, "# dev.sh's parts\n"
        + "--role manager --name etcd --ip 127.0.0.1 --dns localhost --out " + dir.resolve("etcd") + "\n\n"
        + "  --role worker --name n1 --validity 2h --out " + dir.resolve("n1") + "\n");

    assertThat(run("ca", "issue-batch", "--init", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        plan.toString())).as(err.toString()).isZero();

    ClusterCa ca = ClusterCa.load(pki, ClusterKey.fromFile(key));
    String cluster = CaIssueCommand.clusterId(ca);
    CertDirectory.Contents etcd = new CertDirectory(dir.resolve("etcd")).read();
    assertThat(ca.root().verify(List.of(etcd.credentials().certificate()), Instant.now()))
        .isEqualTo(new PeerIdentity("etcd", Role.MANAGER, cluster));
    CertDirectory.Contents n1 = new CertDirectory(dir.resolve("n1")).read();
    assertThat(ca.root().verify(List.of(n1.credentials().certificate()), Instant.now()))
        .isEqualTo(new PeerIdentity("n1", Role.WORKER, cluster));
    assertThat(Duration.between(n1.credentials().notBefore(), n1.credentials().notAfter()))
        .isEqualTo(Duration.ofHours(2).plus(ClusterCa.BACKDATE));
  }

  @Test
  void issueBatchRefusesABadLineByNumberAndIssuesNothing() throws Exception {
    Path key = clusterKey();
    Path pki = dir.resolve("pki");
    assertThat(run("ca", "init", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString())).isZero();
    Path plan = dir.resolve("plan");
    Files.writeString(plan, "--role manager --name control --out " + dir.resolve("control") + "\n"
        + "--role admin --name cli --out " + dir.resolve("cli") + "\n");

    assertThat(run("ca", "issue-batch", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        plan.toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("shoal-control ca issue-batch: " + plan + " line 2: ")
        .contains("expected manager or worker, got 'admin'");
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(dir.resolve("control")).doesNotExist();
  }

  @Test
  void issueBatchRefusesAnEmptyPlan() throws Exception {
    Path key = clusterKey();
    Path plan = Files.writeString(dir.resolve("plan"), "# nothing\n");
    assertThat(run("ca", "issue-batch", "--init", "--pki-dir", dir.resolve("pki").toString(),
        "--cluster-key-file", key.toString(), plan.toString())).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("shoal-control ca issue-batch: the plan " + plan + " holds no certificate\n");
    assertThat(dir.resolve("pki")).doesNotExist();
  }

  @Test
  void renewLeavesACertificateThatIsNotDueAndRenewsAForcedOneWithItsIdentityNamesAndValidity() throws Exception {
    Path key = clusterKey();
    Path pki = dir.resolve("pki");
    Path etcd = dir.resolve("etcd");
    assertThat(run("ca", "init", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString())).isZero();
    assertThat(run("ca", "issue", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        "--role", "manager", "--name", "etcd", "--ip", "127.0.0.1", "--dns", "localhost", "--validity", "2d",
        "--out", etcd.toString())).isZero();
    NodeCredentials before = new CertDirectory(etcd).read().credentials();
    out.getBuffer().setLength(0);

    assertThat(run("ca", "renew", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        "--dir", etcd.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith(etcd + ": etcd is not due until ");
    assertThat(new CertDirectory(etcd).read().credentials().certificate()).isEqualTo(before.certificate());

    assertThat(run("ca", "renew", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        "--dir", etcd.toString(), "--force")).as(err.toString()).isZero();
    NodeCredentials after = new CertDirectory(etcd).read().credentials();
    assertThat(out.toString()).contains(etcd + ": renewed etcd, valid until " + after.notAfter());
    assertThat(after.identity()).isEqualTo(before.identity());
    assertThat(after.privateKey()).isNotEqualTo(before.privateKey());
    assertThat(after.notAfter()).isAfterOrEqualTo(before.notAfter());
    assertThat(Duration.between(after.notBefore(), after.notAfter()))
        .isEqualTo(Duration.ofDays(2).plus(ClusterCa.BACKDATE));
    assertThat(after.certificate().getSubjectAlternativeNames())
        .extracting(n -> (Object) n.get(1)).containsExactly("127.0.0.1", "localhost");
  }

  @Test
  void renewRefusesADirectoryOfAnotherCaAndRenewsNone() throws Exception {
    Path key = clusterKey();
    Path pki = dir.resolve("pki");
    Path other = dir.resolve("other-pki");
    assertThat(run("ca", "issue-batch", "--init", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(),
        Files.writeString(dir.resolve("plan"), "--role manager --name control --out " + dir.resolve("control"))
            .toString())).isZero();
    assertThat(run("ca", "issue-batch", "--init", "--pki-dir", other.toString(), "--cluster-key-file",
        key.toString(), Files.writeString(dir.resolve("plan2"), "--role manager --name etcd --out "
            + dir.resolve("foreign")).toString())).isZero();
    NodeCredentials control = new CertDirectory(dir.resolve("control")).read().credentials();

    assertThat(run("ca", "renew", "--pki-dir", pki.toString(), "--cluster-key-file", key.toString(), "--force",
        "--dir", dir.resolve("control").toString(), "--dir", dir.resolve("foreign").toString())).isEqualTo(1);
    assertThat(err.toString()).startsWith("shoal-control ca renew: " + dir.resolve("foreign")
        + " holds a certificate of another CA");
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(new CertDirectory(dir.resolve("control")).read().credentials().certificate())
        .isEqualTo(control.certificate());
  }
}
