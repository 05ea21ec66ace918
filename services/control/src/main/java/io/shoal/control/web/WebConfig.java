package io.shoal.control.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;

/**
 * The cluster page's flags.
 *
 * @param listen where the page is served ({@code --web-listen}); absent: no page
 * @param prometheus the Prometheus whose range queries the page's graphs show ({@code --prometheus-url}); absent: no graphs
 */
public record WebConfig(Optional<InetSocketAddress> listen, Optional<URI> prometheus) {
  public static WebConfig none() {
    return new WebConfig(Optional.empty(), Optional.empty());
  }
}
