package io.shoal.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.shoal.testing.ExternalProcess;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Headless Chromium through e2e/page/driver.mjs (playwright-core, installed there by
 * {@code npm ci}): one JSON command a line, one answer a line. Waits happen in the browser
 * ({@code waitForFunction}), so a test waits for what the page shows, never for a time.
 */
final class BrowserDriver implements AutoCloseable {
  static final Path DIR = Path.of(System.getProperty("user.dir")).resolve("page");

  private final Process node;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final Path stderr;

  private BrowserDriver(Process node, Path stderr) {
    this.node = node;
    this.stderr = stderr;
    in = new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8));
    out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
  }

  static BrowserDriver start() {
    if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
      throw new IllegalStateException("playwright-core is not installed in " + DIR + ": run npm ci there"
          + " (deploy/dev.sh does)");
    }
    try {
      Path stderr = Files.createTempFile("shoal-browser", ".log");
      Process node = new ProcessBuilder(List.of("node", DIR.resolve("driver.mjs").toString()))
          .directory(DIR.toFile()).redirectError(stderr.toFile()).start();
      return new BrowserDriver(node, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens {@code url} in a fresh profile; answers the HTTP status. */
  int open(String url) {
    JsonObject c = command("open");
    c.addProperty("url", url);
    return call(c).getAsInt();
  }

  /** Waits until {@code js} is truthy in the page; answers its value. */
  JsonElement waitFor(String js, Duration timeout) {
    JsonObject c = command("waitFor");
    c.addProperty("js", js);
    c.addProperty("timeoutMs", timeout.toMillis());
    return call(c);
  }

  JsonElement eval(String js) {
    JsonObject c = command("eval");
    c.addProperty("js", js);
    return call(c);
  }

  void screenshot(Path path) {
    JsonObject c = command("screenshot");
    c.addProperty("path", path.toAbsolutePath().toString());
    call(c);
  }

  private static JsonObject command(String op) {
    JsonObject c = new JsonObject();
    c.addProperty("op", op);
    return c;
  }

  private synchronized JsonElement call(JsonObject command) {
    try {
      in.write(command.toString());
      in.newLine();
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new AssertionError("the browser driver ended:\n" + Files.readString(stderr));
      }
      JsonObject answer = JsonParser.parseString(line).getAsJsonObject();
      if (!answer.get("ok").getAsBoolean()) {
        throw new AssertionError(command.get("op").getAsString() + " failed: " + answer.get("error").getAsString()
            + "\npage console: " + answer.get("console"));
      }
      return answer.get("value");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      if (node.isAlive()) {
        call(command("close"));
      }
    } catch (RuntimeException | AssertionError e) {
      // The browser went already: the process is ended below either way.
      node.destroy();
    }
    node.destroyForcibly();
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
