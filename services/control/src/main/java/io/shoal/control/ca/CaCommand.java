package io.shoal.control.ca;

import io.shoal.common.pki.ClusterKey;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shoal-control ca}: the cluster CA made offline, before etcd starts, since etcd itself
 * needs a server certificate from it ({@link CaInitCommand}, {@link CaIssueCommand},
 * {@link CaIssueBatchCommand}), and renewed offline where nothing renews at control
 * ({@link CaRenewCommand}: etcd's).
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
    description = "Creates the cluster CA in a directory, issues certificates from it before etcd starts, and renews"
        + " those no part renews at control (etcd's).",
    subcommands = {CaInitCommand.class, CaIssueCommand.class, CaIssueBatchCommand.class, CaRenewCommand.class})
public final class CaCommand {
  /** The options every subcommand takes: where the CA is and the key that seals its private key. */
  static final class CaOptions {
    @Option(names = "--pki-dir", required = true,
        description = "Directory of the CA: root-ca.pem and root-ca-key.sealed.")
    Path pkiDir;

    @Option(names = "--cluster-key-file", required = true, defaultValue = "${env:SHOAL_CLUSTER_KEY_FILE}",
        description = "File holding the cluster key (base64 of 32 random bytes) that seals the CA's key;"
            + " env SHOAL_CLUSTER_KEY_FILE.")
    Path clusterKeyFile;

    ClusterKey clusterKey() {
      return ClusterKey.fromFile(clusterKeyFile);
    }
  }
}
