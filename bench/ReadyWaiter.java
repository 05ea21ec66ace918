import io.shoal.cli.CliContext;
import io.shoal.cli.ShoalCli;
import io.shoal.cli.client.ControlChannels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Waits, in one warm JVM, for a host's node to be Ready: for each line {@code HOST [OLD_ID]} of
 * stdin, runs {@code shoal node ls} every 20 ms (at most 60 s) until a node named HOST, other than
 * OLD_ID, shows Ready, and prints {@code ID EPOCH_MILLIS} (when it saw it), or {@code none 0}.
 * bench/join.sh times a join with it: polling with bin/shoal would start a JVM per poll, ~0.9 s
 * each, on the same two cores the joining agent starts on.
 *
 *   java -cp CLI_CLASSPATH bench/ReadyWaiter.java
 */
public final class ReadyWaiter {
  private static final long POLL_MILLIS = 20;
  private static final long LIMIT_MILLIS = 60_000;

  public static void main(String[] args) throws Exception {
    PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
    try (ControlChannels channels = new ControlChannels(System.getenv())) {
      CliContext context = CliContext.system(channels);
      for (int i = 0; i < 20; i++) {
        nodes(context, quiet);
      }
      System.out.println("ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split(" +");
        System.out.println(waitFor(context, quiet, words[0], words.length > 1 ? words[1] : ""));
      }
    }
  }

  private static String waitFor(CliContext context, PrintWriter quiet, String host, String oldId)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + LIMIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      for (String row : nodes(context, quiet).split("\n")) {
        String[] cols = row.trim().split(" +");
        if (cols.length >= 3 && cols[1].equals(host) && cols[2].equals("Ready") && !cols[0].equals(oldId)) {
          return cols[0] + " " + System.currentTimeMillis();
        }
      }
      Thread.sleep(POLL_MILLIS);
    }
    return "none 0";
  }

  private static String nodes(CliContext context, PrintWriter quiet) {
    StringWriter out = new StringWriter();
    ShoalCli.run(context, new PrintWriter(out, true), quiet, "node", "ls");
    return out.toString();
  }
}
