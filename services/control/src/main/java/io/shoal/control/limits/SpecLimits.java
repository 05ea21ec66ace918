package io.shoal.control.limits;

import com.google.protobuf.Duration;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.common.spec.SpecBounds;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bounds every spec keeps, in one place, each with the check that names it. Every field that
 * is stored gets one: each task carries a full copy of its service's spec, and the scheduler does
 * time and count arithmetic on them, so an unbounded field is a cluster-wide failure later.
 * Lengths count characters (UTF-16 units, as Java measures them); the spec as a whole is bounded
 * in encoded bytes.
 */
public final class SpecLimits {
  /**
   * Replicas of one service. Every task of a service is held by the scheduler and listed at
   * once; the scheduler is proven at this count. Swarm has no cap; more is a typo here.
   */
  public static final long MAX_REPLICAS = SpecBounds.MAX_REPLICAS;
  /**
   * Services in the cluster: every pass of the scheduler and every cache holds them all, and the
   * soak (#16) runs 200; a create past it is RESOURCE_EXHAUSTED, as a network past MAX_NETWORKS.
   */
  public static final long MAX_SERVICES = 10_000;
  /** The encoded ServiceSpec; a spec is config, and every task carries a copy of it. */
  public static final int MAX_SPEC_BYTES = 64 * 1024;
  /** replicas × encoded spec: the task copies of one service's spec (not counting history). */
  public static final long MAX_SPEC_BYTES_IN_TASKS = SpecBounds.MAX_SPEC_BYTES_IN_TASKS;
  /**
   * Any duration in a spec: ten years. Far below every place it is turned into a number (Go's
   * and Java's nanoseconds in a long overflow at 292 years, Docker's stop timeout in an int32 of
   * seconds at 68) and below Instant's range, yet longer than any delay or window in use.
   */
  public static final java.time.Duration MAX_DURATION = java.time.Duration.ofDays(3650);
  /** A service name: a DNS label. */
  public static final int MAX_NAME = 63;
  /**
   * An image reference: no valid one is longer (a 255-character name, ':' and a 128-character
   * tag, '@sha512:' and 128 hex digits). Checked before the reference reaches any regex.
   */
  public static final int MAX_IMAGE = 255 + 1 + 128 + 8 + 128;
  public static final int MAX_LABELS = 128;
  public static final int MAX_LABEL_KEY = 256;
  public static final int MAX_LABEL_VALUE = 4096;
  public static final int MAX_ENV = 1000;
  /** One KEY=VALUE; Linux takes 128 KiB per string, the spec as a whole 64 KiB. */
  public static final int MAX_ENV_ENTRY = 32 * 1024;
  public static final int MAX_ARGS = 1000;
  public static final int MAX_ARG = 32 * 1024;
  /** Words of a healthcheck's test (["CMD", program, args...]). */
  public static final int MAX_HEALTH_TEST_WORDS = 64;
  /** Consecutive failed checks before a container is unhealthy. */
  public static final int MAX_HEALTH_RETRIES = 100;
  /** Linux's PATH_MAX. */
  public static final int MAX_WORKDIR = 4096;
  /** user[:group], names or ids. */
  public static final int MAX_USER = 256;
  public static final int MAX_CONSTRAINTS = 64;
  /** Room for node.labels.KEY!=VALUE with the longest key and value a label may have. */
  public static final int MAX_CONSTRAINT = 8192;
  public static final int MAX_PREFERENCES = 16;
  /** node.labels. and a label key. */
  public static final int MAX_PREFERENCE = "node.labels.".length() + MAX_LABEL_KEY;
  /** A range of a thousand published ports still fits. */
  public static final int MAX_PORTS = 1024;
  public static final int MAX_PORT_NAME = 63;
  /**
   * --restart-max-attempts: each task carries one timestamp per counted restart (0, unlimited,
   * carries none), so this bounds that list to ~1.4 KiB per task.
   */
  public static final long MAX_RESTART_ATTEMPTS = 100;
  /** Mounts of one container (--mount); each is a bind, a volume or a tmpfs the engine sets up. */
  public static final int MAX_MOUNTS = 64;
  /** A --hostname template; rendered, a host name is at most 64 (HOST_NAME_MAX). */
  public static final int MAX_HOSTNAME_TEMPLATE = 255;
  /** --dns servers; resolv.conf uses the first 3. */
  public static final int MAX_NAMESERVERS = 16;
  /** --dns-search domains, --dns-option options. */
  public static final int MAX_DNS_ENTRIES = 32;
  /** --host lines, and the length of one ("IP HOSTNAME ALIAS..."). */
  public static final int MAX_HOSTS = 256;
  public static final int MAX_HOST_LINE = 1024;
  /** --group, --cap-add, --cap-drop entries (Linux has 41 capabilities). */
  public static final int MAX_GROUPS = 64;
  public static final int MAX_CAPABILITIES = 64;
  /** --sysctl entries. */
  public static final int MAX_SYSCTLS = 64;
  /** A logging or volume driver's name, and the options one takes. */
  public static final int MAX_LOG_DRIVER = 64;
  public static final int MAX_DRIVER_OPTIONS = 64;
  /** The encoded NodeSpec (availability and labels). */
  public static final int MAX_NODE_SPEC_BYTES = 64 * 1024;

  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private SpecLimits() {}

  /** A string no longer than {@code max}; the message gives its length, never the string. */
  public static void length(String field, String value, int max) {
    if (value.length() > max) {
      throw new InvalidArgumentException(field,
          "is " + value.length() + " characters long; the limit is " + max);
    }
  }

  /** A repeated field with no more than {@code max} entries. */
  public static void count(String field, int count, int max) {
    if (count > max) {
      throw new InvalidArgumentException(field, count + " entries; the limit is " + max);
    }
  }

  /**
   * A uint64 field (Java reads it signed: 2^64−1 is −1) at most {@code max}; messages show it
   * unsigned.
   */
  public static void unsigned(String field, long value, long max) {
    if (Long.compareUnsigned(value, max) > 0) {
      throw new InvalidArgumentException(field,
          Long.toUnsignedString(value) + " exceeds the limit of " + max);
    }
  }

  /** A duration in 0..{@link #MAX_DURATION}, with nanos in 0..999,999,999. */
  public static void duration(String field, Duration d) {
    if (d.getNanos() < 0 || d.getNanos() > 999_999_999) {
      throw new InvalidArgumentException(field + ".nanos", d.getNanos() + " is outside 0-999999999");
    }
    if (d.getSeconds() < 0) {
      throw new InvalidArgumentException(field, "must not be negative");
    }
    if (d.getSeconds() > MAX_DURATION.getSeconds()
        || d.getSeconds() == MAX_DURATION.getSeconds() && d.getNanos() > 0) {
      throw new InvalidArgumentException(field, d.getSeconds() + "s exceeds the limit of "
          + MAX_DURATION.toDays() + " days (" + MAX_DURATION.getSeconds() + "s)");
    }
  }

  /** Labels: how many, and the length of each key and value; no empty key. */
  public static void labels(String field, Map<String, String> labels) {
    count(field, labels.size(), MAX_LABELS);
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (label.getKey().isBlank()) {
        throw new InvalidArgumentException(field, "a label key must not be empty");
      }
      length(field + " key", label.getKey(), MAX_LABEL_KEY);
      length(field + "[" + label.getKey() + "]", label.getValue(), MAX_LABEL_VALUE);
    }
  }

  /**
   * The name of a network, a secret or a config (and of a service): given, at most
   * {@link #MAX_NAME} characters, and matching {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}.
   *
   * @param what the kind of object, for the message: "secret"
   */
  public static void objectName(String field, String name, String what) {
    if (name.isEmpty()) {
      throw new InvalidArgumentException(field, "a " + what + " name must be provided");
    }
    length(field, name, MAX_NAME);
    if (!OBJECT_NAME.matcher(name).matches()) {
      throw new InvalidArgumentException(field, "\"" + name + "\" must match " + OBJECT_NAME.pattern());
    }
  }

  /** A message's encoded size. */
  public static void encodedSize(String field, int bytes, int max, String advice) {
    if (bytes > max) {
      throw new InvalidArgumentException(field,
          "is " + bytes + " bytes encoded; the limit is " + max + " (" + advice + ")");
    }
  }
}
