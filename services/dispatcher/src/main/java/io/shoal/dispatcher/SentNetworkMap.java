package io.shoal.dispatcher;

import com.google.protobuf.CodedOutputStream;
import io.shoal.api.v1.NetworkMap;
import io.shoal.api.v1.NetworkView;
import io.shoal.api.v1.SessionResponse;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The network map one session's agent holds, and whether a new one must go out: the first of a
 * session always does, even empty (the agent takes down what an earlier session left it and no
 * task needs), later ones only when they differ. Not thread-safe: one pusher thread per
 * dispatcher.
 */
final class SentNetworkMap {
  /** Room for the SessionResponse around the map. */
  private static final int OVERHEAD = 16;

  /** Null until the first map goes out. */
  private NetworkMap sent;
  /** The networks of the last map made for this session, sent or refused as too big. */
  private Set<String> networkIds = Set.of();

  @Inject
  SentNetworkMap() {}

  /** Whether {@code map} fits in one Session message ({@link AssignmentChunks#MAX_MESSAGE_BYTES}). */
  static boolean fits(NetworkMap map) {
    return CodedOutputStream.computeMessageSize(SessionResponse.NETWORK_MAP_FIELD_NUMBER, map)
        <= AssignmentChunks.MAX_MESSAGE_BYTES - OVERHEAD;
  }

  /** The map to send for {@code current} (the node's map now); empty if the agent holds it. */
  Optional<NetworkMap> next(NetworkMap current) {
    networkIds = ids(current);
    if (current.equals(sent)) {
      return Optional.empty();
    }
    sent = current;
    return Optional.of(current);
  }

  /** {@code current} was not sent (too big): the agent keeps the last one. */
  void refused(NetworkMap current) {
    networkIds = ids(current);
  }

  /** Whether a change to one of {@code changed} may change this session's map. */
  boolean concerns(Set<String> changed) {
    for (String id : changed) {
      if (networkIds.contains(id)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> ids(NetworkMap map) {
    return map.getNetworksList().stream().map(NetworkView::getNetworkId).collect(Collectors.toUnmodifiableSet());
  }
}
