package io.shoal.common.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Keeps a service's main thread alive until SIGTERM/SIGINT, then closes what it started in the
 * reverse order, so `deploy/dev.sh down` and tests stop services gracefully.
 */
public final class ServiceMain {
  private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

  private ServiceMain() {}

  /** Prints "NAME: cannot start: REASON" as the one line on stderr and returns exit code 1. */
  public static int refuse(CommandSpec spec, String name, String reason) {
    spec.commandLine().getErr().println(name + ": cannot start: " + reason);
    spec.commandLine().getErr().flush();
    return 1;
  }

  /**
   * Runs {@code start}, then keeps the service running until SIGTERM/SIGINT and closes it. When
   * {@code start} fails, the service is closed at once (what it started stops) and the error
   * is thrown.
   */
  public static void run(String name, AutoCloseable service, Runnable start) throws InterruptedException {
    run(name, service, start, null);
  }

  /** As {@link #run(String, AutoCloseable, Runnable)}, closing {@code after} (if not null) after the service. */
  public static void run(String name, AutoCloseable service, Runnable start, AutoCloseable after)
      throws InterruptedException {
    JulBridge.install();
    try {
      start.run();
    } catch (RuntimeException e) {
      closeInOrder(name, service, after);
      throw e;
    }
    runUntilStopped(name, after, service);
  }

  public static void runUntilStopped(String name, AutoCloseable... parts) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (int i = parts.length - 1; i >= 0; i--) {
        closeInOrder(name, parts[i]);
      }
      stopped.countDown();
    }, name + "-shutdown"));
    stopped.await();
  }

  /**
   * Closes {@code parts} in the order given, skipping those never started (null); one that fails
   * to close is logged and the next is closed all the same.
   */
  public static void closeInOrder(String name, AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        log.warn("{}: error while stopping {}: {}", name, part, e.toString());
      }
    }
  }
}
