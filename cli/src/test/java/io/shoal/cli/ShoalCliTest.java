package io.shoal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shoal.cli.client.ControlChannels;
import io.shoal.cli.testing.CliHarness;
import io.shoal.cli.testing.CliHarness.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ShoalCliTest {
  @RegisterExtension final CliHarness cli = new CliHarness();

  @Test
  void talksToTheDefaultHost() {
    cli.run("service", "ls");
    assertThat(cli.targets()).containsExactly("127.0.0.1:7400");
  }

  @Test
  void hostFlagGoesBeforeTheCommandAsDockersDoes() {
    cli.run("--host", "10.0.0.1:7400", "service", "ls");
    Result after = cli.run("service", "ls", "-H", "10.0.0.2:7400");

    assertThat(cli.targets()).containsExactly("10.0.0.1:7400");
    assertThat(after.exitCode()).isEqualTo(2);
    assertThat(after.err()).contains("Unknown options: '-H'");
  }

  @Test
  void serviceCreateHostIsDockersExtraHost() {
    cli.run("-H", "10.0.0.1:7400", "service", "create", "--detach", "--name", "web", "--host", "db.local:10.0.0.9",
        "--add-host", "cache:10.0.0.8", "nginx:1.27");

    assertThat(cli.targets()).containsExactly("10.0.0.1:7400");
    assertThat(cli.control().creates().get(0).getSpec().getContainer().getHostsList())
        .hasSize(2);
  }

  @Test
  void shoalHostFromTheEnvironmentUnlessTheFlagIsGiven() {
    cli.env("SHOAL_HOST", "control.example:7400");
    cli.run("node", "ls");
    cli.run("--host", "flag:1", "node", "ls");
    assertThat(cli.targets()).containsExactly("control.example:7400", "flag:1");
  }

  @Test
  void aMalformedAddressIsNamed() {
    Result r;
    try (ControlChannels channels = new ControlChannels(java.util.Map.of("SHOAL_INSECURE", "1"))) {
      r = run(CliContext.system(channels), "--host", "not a host", "service", "ls");
    }
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith(
            "shoal: invalid control address \"not a host\" (--host or SHOAL_HOST, host:port): ");
  }

  @Test
  void unreachableControlSaysWhereAndWhatToDo() {
    Result r = cli.runUnreachable("service", "ls");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .matches(
            "shoal: cannot reach control at 127\\.0\\.0\\.1:7400: .+ \\(UNAVAILABLE\\); is the"
                + " cluster up\\? \\(deploy/dev\\.sh up\\)");
  }

  @Test
  void serverFailuresAreOneLineWithTheCode() {
    cli.control().failNext("ListServices", Status.INTERNAL.withDescription("etcd is unhappy"));
    Result r = cli.run("service", "ls");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("shoal: etcd is unhappy (INTERNAL)");
  }

  @Test
  void aloneItPrintsUsage() {
    Result r = cli.run();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("Usage: shoal ").contains("service", "node");
    Result service = cli.run("service");
    assertThat(service.exitCode()).isZero();
    assertThat(service.out()).contains("create", "inspect", "ls", "ps", "rm", "scale", "update");
    assertThat(cli.targets()).isEmpty();
  }

  @Test
  void unknownCommandIsAUsageError() {
    Result r = cli.run("service", "frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines()).first().asString().startsWith("shoal: ").contains("frobnicate");
    assertThat(r.errLines()).last().isEqualTo("See 'shoal service --help'.");
  }

  private static Result run(CliContext context, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ShoalCli.run(context, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void printsItsVersion() {
    Result r = cli.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("shoal ");
  }
}
