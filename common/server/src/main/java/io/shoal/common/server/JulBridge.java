package io.shoal.common.server;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging's records (grpc-java's, the JDK's) through SLF4J, so they share the
 * service's format and levels instead of JUL's two-line console output. JUL drops a record below
 * a logger's level before any handler sees it, so the JUL loggers of the libraries that log
 * through it are given the level SLF4J has for them (simplelogger.properties: io.grpc=warn).
 */
public final class JulBridge {
  /** The names whose levels are carried over; JUL holds its loggers weakly, so they are kept here. */
  private static final List<String> NAMES = List.of("", "io.grpc", "io.netty", "io.grpc.netty.shaded");
  private static final List<java.util.logging.Logger> KEPT = new ArrayList<>();

  private JulBridge() {}

  public static synchronized void install() {
    if (SLF4JBridgeHandler.isInstalled()) {
      return;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    for (String name : NAMES) {
      java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
      jul.setLevel(level(LoggerFactory.getLogger(name.isEmpty() ? Logger.ROOT_LOGGER_NAME : name)));
      KEPT.add(jul);
    }
  }

  /** The finest JUL level that SLF4J's {@code logger} would print. */
  static Level level(Logger logger) {
    if (logger.isTraceEnabled()) {
      return Level.FINEST;
    }
    if (logger.isDebugEnabled()) {
      return Level.FINE;
    }
    if (logger.isInfoEnabled()) {
      return Level.INFO;
    }
    if (logger.isWarnEnabled()) {
      return Level.WARNING;
    }
    return logger.isErrorEnabled() ? Level.SEVERE : Level.OFF;
  }
}
