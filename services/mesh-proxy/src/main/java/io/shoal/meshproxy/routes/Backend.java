package io.shoal.meshproxy.routes;

import java.net.InetSocketAddress;

/** One RUNNING task's endpoint for a published port: where the proxy connects. */
public record Backend(String taskId, InetSocketAddress address) {
  @Override
  public String toString() {
    return taskId + "@" + address.getHostString() + ":" + address.getPort();
  }
}
