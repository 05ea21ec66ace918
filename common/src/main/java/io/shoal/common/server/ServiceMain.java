package io.shoal.common.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service's main thread alive until SIGTERM/SIGINT, then closes what it started in the
 * reverse order, so `deploy/dev.sh down` and tests stop services gracefully.
 */
public final class ServiceMain {
  private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

  private ServiceMain() {}

  public static void runUntilStopped(String name, AutoCloseable... parts) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (int i = parts.length - 1; i >= 0; i--) {
        try {
          parts[i].close();
        } catch (Exception e) {
          log.warn("{}: error while stopping {}: {}", name, parts[i], e.toString());
        }
      }
      stopped.countDown();
    }, name + "-shutdown"));
    stopped.await();
  }
}
