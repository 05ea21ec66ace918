package io.shoal.cli.parse;

import io.shoal.api.v1.NetworkAttachmentConfig;

/**
 * Docker's {@code --network} value: a network's name (or id), or the long form
 * {@code name=NAME[,alias=ALIAS...]}. The network is resolved by control, which stores its id.
 */
public final class NetworkAttachmentSpec {
  private NetworkAttachmentSpec() {}

  /** Parses one value; the message of the exception says what is wrong with it. */
  public static NetworkAttachmentConfig parse(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("empty network");
    }
    if (!value.contains("=")) {
      if (value.contains(",")) {
        throw new IllegalArgumentException("bad network \"" + value + "\": use name=NAME,alias=ALIAS for more than a name");
      }
      return NetworkAttachmentConfig.newBuilder().setTarget(value).build();
    }
    NetworkAttachmentConfig.Builder attachment = NetworkAttachmentConfig.newBuilder();
    for (String field : value.split(",", -1)) {
      int eq = field.indexOf('=');
      String key = eq < 0 ? field : field.substring(0, eq);
      String v = eq < 0 ? "" : field.substring(eq + 1);
      if (eq < 0 || v.isEmpty()) {
        throw new IllegalArgumentException("bad network \"" + value + "\": \"" + field + "\" needs a value (KEY=VALUE)");
      }
      switch (key) {
        case "name", "target" -> attachment.setTarget(v);
        case "alias" -> attachment.addAliases(v);
        default -> throw new IllegalArgumentException("bad network \"" + value + "\": unknown key \"" + key
            + "\" (Shoal takes name and alias)");
      }
    }
    if (attachment.getTarget().isEmpty()) {
      throw new IllegalArgumentException("bad network \"" + value + "\": name=NAME is missing");
    }
    return attachment.build();
  }
}
