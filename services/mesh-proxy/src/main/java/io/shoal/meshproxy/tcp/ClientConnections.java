package io.shoal.meshproxy.tcp;

import io.netty.util.AttributeKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open client connections of one TCP listener, so that a client finding the port full can
 * take the slot of the one quiet longest, as UDP flows do. Without it, idle sockets held open by
 * one client lock every slot of a port for the whole idle timeout (#16: 10,000 idle connections
 * reset every new client of the port).
 *
 * <p>Threading: a listener's connections live on several I/O threads, hence the concurrent set;
 * a newcomer claims its victim by removing it, so two never take the same slot.
 */
final class ClientConnections {
  static final AttributeKey<ClientConnections> ATTR =
      AttributeKey.valueOf("shoal.client-connections");

  private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
  /**
   * Before this time no connection open now can have been quiet long enough: the scan found none
   * and stamps only move later. Spares a scan of the whole port per connection in a flood.
   */
  private volatile long noneEvictableBefore = Long.MIN_VALUE;

  void add(ClientConnection connection) {
    open.add(connection);
  }

  void remove(ClientConnection connection) {
    open.remove(connection);
  }

  /**
   * Closes the connection quiet longest if no byte has gone either way for {@code quietNanos},
   * handing its slot to the caller; true when it did.
   */
  boolean evictQuietest(long quietNanos) {
    long now = System.nanoTime();
    if (noneEvictableBefore != Long.MIN_VALUE && now - noneEvictableBefore < 0) {
      return false;
    }
    ClientConnection quietest = null;
    for (ClientConnection connection : open) {
      if (quietest == null || connection.lastActive() - quietest.lastActive() < 0) {
        quietest = connection;
      }
    }
    if (quietest == null) {
      return false;
    }
    if (now - quietest.lastActive() < quietNanos) {
      noneEvictableBefore = quietest.lastActive() + quietNanos;
      return false;
    }
    // Lost a race with another newcomer or with its own close: the caller is turned away.
    if (!open.remove(quietest) || !quietest.giveUpSlot()) {
      return false;
    }
    quietest.channel().close();
    return true;
  }
}
