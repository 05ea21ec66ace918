package io.shoal.control.ca;

import io.shoal.common.pki.ClusterCa;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal-control ca init}: a new root CA in {@code --pki-dir}, its key sealed under the cluster key. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Creates the cluster's root CA: writes root-ca.pem and root-ca-key.sealed (sealed under the"
        + " cluster key) into --pki-dir; refuses to replace a CA already there. Prints the root's digest.")
public final class CaInitCommand implements Callable<Integer> {
  @Mixin CaCommand.CaOptions options = new CaCommand.CaOptions();
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (Files.exists(options.pkiDir.resolve(ClusterCa.CERTIFICATE_FILE))
        || Files.exists(options.pkiDir.resolve(ClusterCa.SEALED_KEY_FILE))) {
      return CaIssueCommand.refuse(spec, "ca init", options.pkiDir + " already holds a CA; a cluster keeps its root"
          + " (remove the directory to start a new cluster)");
    }
    try {
      ClusterCa ca = ClusterCa.create(Instant.now());
      ca.save(options.pkiDir, options.clusterKey());
      spec.commandLine().getOut().println(ca.root().digest());
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return CaIssueCommand.refuse(spec, "ca init", e.getMessage());
    }
  }
}
