package io.shoal.control.secret;

import com.google.protobuf.ByteString;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.control.limits.SpecLimits;
import java.util.Map;

/**
 * Checks a SecretSpec or a ConfigSpec at the edge, before anything is read, sealed or stored:
 * the data's size first (the field a too-large request is about), then name and labels as a
 * network's.
 */
final class PayloadSpecs {
  private PayloadSpecs() {}

  /**
   * @param message "SecretSpec" or "ConfigSpec", the prefix of every field named
   * @param what "secret" or "config"
   * @param metadataBytes the spec's encoded size without its data
   */
  static void check(String message, String what, String name, Map<String, String> labels, ByteString data,
      int metadataBytes) {
    if (data.isEmpty()) {
      throw new InvalidArgumentException(message + ".data", "a " + what + " must hold at least 1 byte");
    }
    if (data.size() > PayloadLimits.MAX_DATA) {
      throw new InvalidArgumentException(message + ".data", "is " + data.size() + " bytes; the limit is "
          + PayloadLimits.MAX_DATA + " (500 KiB, as Swarm's)");
    }
    SpecLimits.objectName(message + ".name", name, what);
    SpecLimits.labels(message + ".labels", labels);
    SpecLimits.encodedSize(message, metadataBytes, SpecLimits.MAX_SPEC_BYTES, "shrink the labels");
  }
}
