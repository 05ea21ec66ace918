package io.shoal.control.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.shoal.common.pki.CertDirectory;
import io.shoal.control.ControlMain;
import io.shoal.testing.EtcdExtension;
import io.shoal.testing.JdkTlsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ca renew} on etcd's directory while etcd runs: the next handshake is served with the new
 * certificate, no restart (etcd reads its files on every handshake), which is what makes a daily
 * timer enough to keep etcd's certificate valid.
 */
class CaRenewEtcdIT {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new ControlMain());
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  void etcdServesTheRenewedCertificateFromTheNextHandshake() throws Exception {
    Path key = Files.writeString(dir.resolve("cluster.key"), Base64.getEncoder().encodeToString(new byte[32]));
    Path etcdCerts = dir.resolve("etcd");
    Path clientCerts = dir.resolve("control");
    Path plan = Files.writeString(dir.resolve("plan"),
        "--role manager --name etcd --ip 127.0.0.1 --out " + etcdCerts + "\n"
            + "--role manager --name control --out " + clientCerts + "\n");
    String[] ca = {"--pki-dir", dir.resolve("pki").toString(), "--cluster-key-file", key.toString()};
    assertThat(run(concat(new String[] {"ca", "issue-batch", "--init"}, ca, new String[] {plan.toString()})))
        .as(err.toString()).isZero();

    try (EtcdExtension.OwnEtcd etcd = EtcdExtension.startTls("127.0.0.1", etcdCerts)) {
      URI endpoint = URI.create(etcd.endpoints());
      BigInteger first = servedSerial(endpoint, clientCerts);
      assertThat(first).isEqualTo(serialIn(etcdCerts));

      assertThat(run(concat(new String[] {"ca", "renew", "--force", "--dir", etcdCerts.toString()}, ca)))
          .as(err.toString()).isZero();

      BigInteger second = servedSerial(endpoint, clientCerts);
      assertThat(second).isNotEqualTo(first).isEqualTo(serialIn(etcdCerts));
    }
  }

  private static BigInteger serialIn(Path certs) {
    return new CertDirectory(certs).read().credentials().certificate().getSerialNumber();
  }

  /** The serial of the certificate etcd presents in a new mutual-TLS handshake. */
  private static BigInteger servedSerial(URI endpoint, Path clientCerts) throws Exception {
    CertDirectory.Contents client = new CertDirectory(clientCerts).read();
    SSLContext context = JdkTlsClient.context(client.root(), Optional.of(client.credentials()));
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(endpoint.getHost(), endpoint.getPort())) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}
