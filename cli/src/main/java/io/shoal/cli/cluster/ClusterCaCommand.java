package io.shoal.cli.cluster;

import io.shoal.api.v1.GetClusterCaResponse;
import io.shoal.cli.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal cluster ca [--pem]}: the root's fingerprint, which join tokens pin, so an operator
 * can compare it with the token a node was given; {@code --pem} prints the certificate too.
 */
@Command(
    name = "ca",
    description = "Display the cluster CA's fingerprint (sha256 of its DER), and with --pem its root certificate",
    mixinStandardHelpOptions = true)
public final class ClusterCaCommand extends CliCommand {
  @Option(names = "--pem", description = "Also print the root certificate, PEM")
  boolean pem;

  @Override
  public Integer call() {
    GetClusterCaResponse ca = control().clusterCa();
    out().println(ca.getDigest());
    if (pem) {
      out().print(ca.getCertificatePem());
    }
    out().flush();
    return 0;
  }
}
