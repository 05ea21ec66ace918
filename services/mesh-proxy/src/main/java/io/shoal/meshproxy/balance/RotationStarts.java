package io.shoal.meshproxy.balance;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Random;

/**
 * Where each published port's round robin starts: at a random backend. Every node's proxy
 * balances on its own, so if all of them started at the first task, one request to each node
 * would land on that one task (Envoy seeds its round robin at random for the same reason).
 * Drawn once per listener; the port's cursor cycles on from there, so a full cycle still
 * reaches every backend once.
 */
@Singleton
public final class RotationStarts {
  // java.util.Random: thread-safe, and each instance is seeded differently.
  private final Random random;

  @Inject
  public RotationStarts() {
    this(new Random());
  }

  /** Starts drawn from {@code random}; a seeded one makes them repeatable in tests. */
  public RotationStarts(Random random) {
    this.random = random;
  }

  /**
   * The cursor of a new port's rotation, taken modulo the backends. Below 2^30, so that at
   * least a billion connections pass before the int wraps (where the modulo repeats a backend).
   */
  public int next() {
    return random.nextInt(1 << 30);
  }
}
