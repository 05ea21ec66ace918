package io.shoal.control.ca;

import io.shoal.common.errors.ShoalException;
import io.shoal.common.pki.ClusterCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code shoal-control ca issue-batch}: every certificate of a plan in one process. dev.sh needs
 * about ten (etcd, each control-plane service, the CLI, each mesh-proxy); one JVM per certificate
 * cost it five of its thirty seconds on two cores.
 */
@Command(name = "issue-batch", mixinStandardHelpOptions = true,
    description = {"Issues one certificate per line of PLAN (a file, or - for stdin) from the CA in --pki-dir.",
        "Each line holds the flags of `ca issue` (--role, --name, --ip, --dns, --validity, --out);"
            + " blank lines and lines starting with # are skipped. Every line is checked before any is issued."})
public final class CaIssueBatchCommand implements Callable<Integer> {
  @Mixin CaCommand.CaOptions options = new CaCommand.CaOptions();

  @Option(names = "--init", description = "Create the CA first, as `ca init` does (refused if --pki-dir holds one).")
  boolean init;

  @Parameters(index = "0", paramLabel = "PLAN", description = "The plan: a file, or - to read stdin.")
  String plan;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<CaIssueCommand> issues;
    try {
      issues = parse(read());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return CaIssueCommand.refuse(spec, "ca issue-batch", e.getMessage());
    }
    if (init) {
      int created = spec.commandLine().getParent().getSubcommands().get("init").execute(
          "--pki-dir", options.pkiDir.toString(), "--cluster-key-file", options.clusterKeyFile.toString());
      if (created != 0) {
        return created;
      }
    }
    try {
      ClusterCa ca = ClusterCa.load(options.pkiDir, options.clusterKey());
      Instant now = Instant.now();
      for (CaIssueCommand issue : issues) {
        spec.commandLine().getOut().println(issue.out + ": " + issue.issueWith(ca, now));
      }
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException | UncheckedIOException | ShoalException | CertificateException e) {
      return CaIssueCommand.refuse(spec, "ca issue-batch", e.getMessage());
    }
  }

  private List<String> read() {
    try {
      return "-".equals(plan)
          ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
          : Files.readAllLines(Path.of(plan));
    } catch (IOException e) {
      throw new UncheckedIOException("can't read the plan " + plan + ": " + e.getMessage(), e);
    }
  }

  /** One {@code ca issue} per line, each parsed and checked, or the first line that is not one. */
  List<CaIssueCommand> parse(List<String> lines) {
    List<CaIssueCommand> issues = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of(line.split("\\s+")));
      args.addAll(List.of("--pki-dir", options.pkiDir.toString(),
          "--cluster-key-file", options.clusterKeyFile.toString()));
      CaIssueCommand issue = new CaIssueCommand();
      try {
        new CommandLine(issue).parseArgs(args.toArray(String[]::new));
      } catch (ParameterException e) {
        throw new IllegalArgumentException(where(i) + e.getMessage(), e);
      }
      String invalid = issue.invalid();
      if (invalid != null) {
        throw new IllegalArgumentException(where(i) + invalid);
      }
      issues.add(issue);
    }
    if (issues.isEmpty()) {
      throw new IllegalArgumentException("the plan " + plan + " holds no certificate");
    }
    return issues;
  }

  private String where(int index) {
    return plan + " line " + (index + 1) + ": ";
  }
}
