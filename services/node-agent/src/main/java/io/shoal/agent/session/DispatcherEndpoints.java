package io.shoal.agent.session;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;


/**
 * The dispatchers an agent may hold its session with (`--dispatcher a:7403,b:7403`), and the one
 * it uses now. An agent starts at a random one, so a thousand agents configured alike spread
 * over the dispatchers, and moves to the next one in the list each time a session breaks, so a
 * dispatcher that died is left at once (the reconnect's jittered backoff spaces the attempts).
 * Each address may be a DNS name; its channel resolves it again on every connect. Channels open
 * on first use and stay open: going back to a dispatcher that returned costs no new TLS setup.
 * Used on the session's thread only, except {@link #close}.
 */
public final class DispatcherEndpoints implements AutoCloseable {
  private final List<String> addresses;
  private final Function<InetSocketAddress, ManagedChannel> open;
  private final Channel[] channels;
  private final List<ManagedChannel> opened = new CopyOnWriteArrayList<>();
  private int current;

  /**
   * @param addresses host:port of each dispatcher, in the order they are tried
   * @param open builds the channel to one dispatcher (TLS, keepalive, telemetry)
   * @param pickFirst given how many there are, the index of the first one to use
   */
  public DispatcherEndpoints(List<String> addresses, Function<InetSocketAddress, ManagedChannel> open,
      IntUnaryOperator pickFirst) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("--dispatcher: no address given; expected host:port[,host:port…]");
    }
    this.addresses = List.copyOf(addresses);
    this.open = open;
    this.channels = new Channel[addresses.size()];
    this.current = Math.floorMod(pickFirst.applyAsInt(addresses.size()), addresses.size());
  }

  /** One dispatcher behind a channel the caller owns and closes (tests). */
  public static DispatcherEndpoints of(Channel channel) {
    DispatcherEndpoints one = new DispatcherEndpoints(List.of(channel.authority()), a -> {
      throw new IllegalStateException("a given channel is never opened again");
    }, n -> 0);
    one.channels[0] = channel;
    return one;
  }

  /**
   * The addresses of a `--dispatcher` value: comma-separated host:port, blanks around them
   * ignored, each named once.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static List<String> parse(String flag) {
    Set<String> seen = new LinkedHashSet<>();
    for (String entry : flag.split(",", -1)) {
      String address = entry.strip();
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1 || !address.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("--dispatcher: '" + address + "' is not host:port (in '" + flag + "')");
      }
      int port = Integer.parseInt(address.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--dispatcher: port " + port + " of '" + address + "' is not 1-65535");
      }
      if (!seen.add(address)) {
        throw new IllegalArgumentException("--dispatcher: '" + address + "' is listed twice");
      }
    }
    return new ArrayList<>(seen);
  }

  /** The dispatcher the next session goes to. */
  public String address() {
    return addresses.get(current);
  }

  /** The channel to {@link #address}. */
  public Channel channel() {
    if (channels[current] == null) {
      String address = addresses.get(current);
      int colon = address.lastIndexOf(':');
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1); // an IPv6 literal
      }
      ManagedChannel channel = open.apply(InetSocketAddress.createUnresolved(host,
          Integer.parseInt(address.substring(colon + 1))));
      opened.add(channel);
      channels[current] = channel;
    }
    return channels[current];
  }

  /**
   * Starts connecting to {@link #address} now: a cold JVM's TLS handshake takes about a second,
   * which then overlaps the rest of the agent's start.
   */
  public void connectNow() {
    if (channel() instanceof ManagedChannel managed) {
      managed.getState(true);
    }
  }

  /** After a broken session: the next dispatcher in the list (the same one if it is the only one). */
  public void moveOn() {
    current = (current + 1) % addresses.size();
  }

  /** How many dispatchers there are to choose from. */
  public int size() {
    return addresses.size();
  }

  /** Shuts the channels it opened. */
  @Override
  public void close() {
    opened.forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : opened) {
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.shutdownNow();
      }
    }
  }
}
