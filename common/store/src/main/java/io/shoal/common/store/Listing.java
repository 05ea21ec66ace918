package io.shoal.common.store;

import java.util.List;

/** Objects listed at one etcd revision; watch from {@code revision + 1} to miss nothing. */
public record Listing<T>(List<T> items, long revision) {}
