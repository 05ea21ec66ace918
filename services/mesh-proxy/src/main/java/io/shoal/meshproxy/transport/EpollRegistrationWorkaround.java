package io.shoal.meshproxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollIoOps;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a Netty 4.2.18 epoll bug that cuts half-closed connections short.
 *
 * <p>When a channel's epoll interest set becomes empty (its input was shut down by a FIN and it
 * has nothing to read or write), {@code EpollIoHandler} removes the fd from epoll
 * ({@code EPOLL_CTL_DEL}) but goes on treating it as added. The next change of interest, such as
 * EPOLLOUT when the kernel's send buffer is full, is then an {@code EPOLL_CTL_MOD} that fails
 * with ENOENT, and Netty shuts the channel's output: a client that sent its FIN loses the rest of
 * a large answer. Keeping EPOLLERR in the interest set (the kernel reports errors whether asked
 * or not, so this changes no event) keeps the set from ever becoming empty.
 *
 * <p>Remove this class when Netty's {@code DefaultEpollIoRegistration.submit} re-adds an fd it
 * deleted; {@code MeshProxyIT.aLargeAnswerAfterTheClientsFinIsDelivered...} shows whether it is
 * still needed.
 */
final class EpollRegistrationWorkaround {
  private static final Logger log = LoggerFactory.getLogger(EpollRegistrationWorkaround.class);
  private static final Method SET_FLAG = findSetFlag();

  private EpollRegistrationWorkaround() {}

  private static Method findSetFlag() {
    try {
      Method setFlag = Class.forName("io.netty.channel.epoll.AbstractEpollChannel")
          .getDeclaredMethod("setFlag", int.class);
      setFlag.setAccessible(true);
      return setFlag;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot apply the epoll half-close workaround ({}); a client that half-closes "
          + "its connection may not receive all of a large answer", e.toString());
      return null;
    }
  }

  /** Keeps EPOLLERR in {@code channel}'s interest set; call on its event loop once registered. */
  static void apply(Channel channel) {
    if (SET_FLAG == null || !channel.isRegistered()) {
      return;
    }
    try {
      SET_FLAG.invoke(channel, EpollIoOps.EPOLLERR.value());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("setFlag was made accessible", e);
    } catch (InvocationTargetException e) {
      // The fd is already unusable; Netty closes the channel on its next I/O.
      log.debug("{}: cannot add EPOLLERR: {}", channel, e.getCause().toString());
    }
  }
}
