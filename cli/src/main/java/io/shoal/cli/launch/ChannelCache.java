package io.shoal.cli.launch;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.shoal.cli.client.ControlChannels;
import io.shoal.common.pki.CertDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The daemon's channels to control, kept open between calls so that a call needs no TCP or TLS
 * handshake: one per control address and certificate. A certificate whose files changed (renewed,
 * or replaced by the user) gets a new channel and the old one is closed.
 */
final class ChannelCache implements AutoCloseable {
  private final EventLoopGroup loop = ControlChannels.newLoop();
  private final Map<Key, ControlChannels.Opened> open = new HashMap<>();

  /** Who a channel is to and as whom: the certificate files' times tell a renewed one apart. */
  private record Key(String target, boolean insecure, Path certDir, List<FileTime> stamps) {
    boolean sameHolder(Key other) {
      return target.equals(other.target) && insecure == other.insecure && certDir.equals(other.certDir);
    }
  }

  /** The channels of one call, with {@code env} as its environment; warnings go to its stderr. */
  Function<String, ManagedChannel> forCall(Map<String, String> env, PrintStream warnings) {
    return target -> {
      ControlChannels.Opened opened = opened(target, env);
      // Control may have been down and back since the last call: try at once, not after backoff.
      if (opened.channel().getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
        opened.channel().resetConnectBackoff();
      }
      opened.renewIfDue(warnings);
      return new SharedChannel(opened.channel());
    };
  }

  private synchronized ControlChannels.Opened opened(String target, Map<String, String> env) {
    boolean insecure = ControlChannels.insecure(env);
    Path certDir = insecure ? Path.of("/") : ControlChannels.certPath(env);
    Key key = new Key(target, insecure, certDir, insecure ? List.of() : stamps(certDir));
    ControlChannels.Opened opened = open.get(key);
    if (opened != null && !opened.channel().isShutdown()) {
      return opened;
    }
    open.entrySet().removeIf(e -> {
      if (e.getKey().sameHolder(key)) {
        e.getValue().channel().shutdown();
        return true;
      }
      return false;
    });
    opened = ControlChannels.open(target, env, loop);
    open.put(key, opened);
    return opened;
  }

  private static List<FileTime> stamps(Path certDir) {
    List<FileTime> stamps = new ArrayList<>();
    for (String file : List.of(CertDirectory.CA_FILE, CertDirectory.CERT_FILE, CertDirectory.KEY_FILE)) {
      try {
        stamps.add(Files.getLastModifiedTime(certDir.resolve(file)));
      } catch (IOException e) {
        stamps.add(FileTime.fromMillis(0)); // missing: opening the channel says so in one line
      }
    }
    return stamps;
  }

  @Override
  public synchronized void close() {
    open.values().forEach(o -> o.channel().shutdownNow());
    open.clear();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
