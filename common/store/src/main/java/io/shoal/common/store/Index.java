package io.shoal.common.store;

/**
 * A unique index under {@code <root>/<name>/<key>}: each key holds, as a plain string, the id of
 * the one object that owns it (a service's name, an ingress port). Claimed and released in the
 * owner's own transaction ({@link Txn#claim}, {@link Txn#release}), so two owners can never hold
 * the same key.
 */
public final class Index {
  private final String name;

  public Index(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  String path(String key) {
    return name + "/" + key;
  }

  @Override
  public String toString() {
    return name;
  }
}
