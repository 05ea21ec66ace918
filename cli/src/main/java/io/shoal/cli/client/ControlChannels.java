package io.shoal.cli.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Opens the CLI's channels to control, mutual TLS with the certificate in {@code SHOAL_CERT_PATH}
 * (Docker's {@code DOCKER_CERT_PATH}: ca.pem, cert.pem, key.pem; default
 * {@code ${XDG_CONFIG_HOME:-~/.config}/shoal/certs}), control accepted only with a manager's
 * certificate from that ca.pem; plaintext only with {@code SHOAL_INSECURE=1}, for a cluster
 * started with {@code --insecure}. A certificate two thirds through its validity is renewed at
 * control on the way ({@link CliCertificate}). The channels run on an event loop of their own, which
 * {@link #close} ends before the process exits.
 *
 * <p>Why not grpc's shared event loop: its threads wait for I/O inside native code and outlive
 * the channel, and a JVM that exits while any thread is in native code waits for it about 300 ms
 * (HotSpot's {@code VM_Exit::wait_for_threads_in_native_to_block}). That was a fifth of every
 * {@code shoal} call.
 */
public final class ControlChannels implements Function<String, ManagedChannel>, AutoCloseable {
  private final EventLoopGroup loop = newLoop();
  private final Map<String, String> env;

  /** @param env the process environment: SHOAL_CERT_PATH, SHOAL_INSECURE, XDG_CONFIG_HOME, HOME */
  public ControlChannels(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A channel to {@code target}, taking answers up to the CLI's explicit size limit. */
  @Override
  public ManagedChannel apply(String target) {
    Opened opened = open(target, env, loop);
    opened.renewIfDue(System.err);
    return opened.channel();
  }

  /** One I/O thread, a daemon thread so that it never holds the JVM's exit. */
  public static EventLoopGroup newLoop() {
    return new NioEventLoopGroup(1, new DefaultThreadFactory("shoal-cli-io", true));
  }

  /** A new channel to {@code target} on {@code loop}, with TLS unless {@code env} says SHOAL_INSECURE=1. */
  public static Opened open(String target, Map<String, String> env, EventLoopGroup loop) {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target)
        .eventLoopGroup(loop)
        .channelType(NioSocketChannel.class)
        .maxInboundMessageSize(ControlClient.MAX_INBOUND_MESSAGE_BYTES);
    if (insecure(env)) {
      return new Opened(builder.usePlaintext().build(), Optional.empty());
    }
    CliCertificate certificate = CliCertificate.read(certPath(env));
    return new Opened(builder.sslContext(certificate.context()).build(), Optional.of(certificate));
  }

  public static boolean insecure(Map<String, String> env) {
    return "1".equals(env.get("SHOAL_INSECURE"));
  }

  /** A channel and the certificate it presents (none in plaintext). */
  public record Opened(ManagedChannel channel, Optional<CliCertificate> certificate) {
    /** Renews the certificate at control when it is due; a failure is one warning on {@code warnings}. */
    public void renewIfDue(PrintStream warnings) {
      certificate.ifPresent(c -> c.renewIfDue(channel, Clock.systemUTC(), warnings));
    }
  }

  /** SHOAL_CERT_PATH, else {@code ${XDG_CONFIG_HOME:-~/.config}/shoal/certs}. */
  public static Path certPath(Map<String, String> env) {
    String set = env.get("SHOAL_CERT_PATH");
    if (set != null && !set.isBlank()) {
      return Path.of(set);
    }
    String config = env.get("XDG_CONFIG_HOME");
    Path base = config != null && !config.isBlank() ? Path.of(config)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
    return base.resolve("shoal").resolve("certs");
  }

  /** Ends the event loop at once (channels are shut down first, by the CLI). */
  @Override
  public void close() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
