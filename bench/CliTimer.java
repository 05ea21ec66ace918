import io.shoal.cli.CliContext;
import io.shoal.cli.ShoalCli;
import io.shoal.cli.client.ControlChannels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code shoal} command lines, one per line of stdin (words split on spaces), in this one
 * JVM, and prints for each {@code EXIT_CODE MILLIS} on stdout; the commands' own output goes to
 * stderr. Each command opens its own connection to control, as {@code bin/shoal} does; only the
 * JVM's start and warm-up are left out, so the time is the cluster's plus the CLI's own work
 * (bench/converge.sh). Warms up first with {@code WARMUP} (20) calls of {@code node ls}.
 *
 *   java -cp CLI_CLASSPATH bench/CliTimer.java
 */
public final class CliTimer {
  public static void main(String[] args) throws Exception {
    PrintWriter sink = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
    int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "20"));
    // The certificate as bin/shoal finds it: SHOAL_CERT_PATH (bench/converge.sh sets the lab's).
    try (ControlChannels channels = new ControlChannels(System.getenv())) {
      CliContext context = CliContext.system(channels);
      for (int i = 0; i < warmup; i++) {
        ShoalCli.run(context, quiet, sink, "node", "ls");
      }
      System.out.println("ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        long start = System.nanoTime();
        int code = ShoalCli.run(context, sink, sink, line.trim().split(" +"));
        System.out.println(code + " " + (System.nanoTime() - start) / 1_000_000);
      }
    }
  }
}
