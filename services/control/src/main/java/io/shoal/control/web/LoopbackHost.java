package io.shoal.control.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a Host header names a loopback address ({@code 127.0.0.1:8080}, {@code [::1]},
 * {@code localhost}). A page on loopback checks it, so that a site whose DNS name a browser
 * re-resolves to 127.0.0.1 (DNS rebinding) is refused: its requests carry its own name.
 */
final class LoopbackHost {
  private LoopbackHost() {}

  static boolean allowed(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String name = host.trim();
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      if (end < 0) {
        return false;
      }
      name = name.substring(1, end);
    } else if (name.indexOf(':') >= 0) {
      name = name.substring(0, name.indexOf(':'));
    }
    if (name.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!name.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: never resolved here
    }
    try {
      return InetAddress.getByName(name).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
