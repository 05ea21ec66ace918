package io.shoal.common.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

class JulBridgeTest {
  @Test
  void julLoggersGetSlf4jsLevelsAndLogThroughIt() {
    JulBridge.install();

    assertThat(SLF4JBridgeHandler.isInstalled()).isTrue();
    // simplelogger.properties: io.grpc=warn, the rest info
    assertThat(java.util.logging.Logger.getLogger("io.grpc").getLevel()).isEqualTo(Level.WARNING);
    assertThat(java.util.logging.Logger.getLogger("").getLevel()).isEqualTo(Level.INFO);
    assertThat(java.util.logging.Logger.getLogger("io.grpc.internal.ManagedChannelImpl").isLoggable(Level.INFO))
        .isFalse();
    assertThat(JulBridge.level(LoggerFactory.getLogger("io.grpc"))).isEqualTo(Level.WARNING);
  }
}
