package io.shoal.control.secret;

/**
 * The bounds secrets, configs and a service's references to them keep (docs/LIMITS.md); their
 * names and labels keep a network's ({@code SpecLimits}).
 */
public final class PayloadLimits {
  /**
   * A secret's or a config's data: Swarm's bound (500 KiB). It is held in memory by control, the
   * dispatcher and the agent, sent whole to each node that runs a task using it, and stored in one
   * etcd value, well under etcd's default 1.5 MiB request limit.
   */
  public static final int MAX_DATA = 500 * 1024;
  /**
   * Secrets and configs together that one service references. Each is a file in every task (a
   * bind mount of its tmpfs) and its data goes to each node running one, so 64 × 500 KiB bounds
   * a task's tmpfs and a node's share of it at 32 MiB (the dispatcher holds a node to 64 MiB: two
   * such services). Swarm has no cap.
   */
  public static final int MAX_REFERENCES = 64;
  /** A secret's file, relative to /run/secrets/: a file name's limit on Linux. */
  public static final int MAX_SECRET_TARGET = 255;
  /** A config's file, an absolute path: Linux's PATH_MAX. */
  public static final int MAX_CONFIG_TARGET = 4096;
  /** A reference's source id (ids are 25 characters) or name. */
  public static final int MAX_SOURCE = 63;
  /** A file's uid or gid, in decimal: 2^32 − 2 at most ((uid_t) −1 means "no change" to chown). */
  public static final long MAX_ID = 0xFFFF_FFFEL;
  /** A file's mode: permission bits only, no setuid, setgid or sticky bit. */
  public static final int MAX_MODE = 0777;
  /** The mode a file gets when none is given, Swarm's: readable by all, writable by none. */
  public static final int DEFAULT_MODE = 0444;

  private PayloadLimits() {}
}
