package io.shoal.cli.secret;

import com.google.protobuf.Timestamp;
import io.shoal.api.v1.Config;
import io.shoal.api.v1.Secret;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * What `ls` and `inspect --pretty` show of a secret or a config: the same fields for both.
 *
 * @param id the full id
 * @param name its name
 * @param labels its labels
 * @param created when it was created
 * @param updated when it was last written
 */
record StoredObject(String id, String name, Map<String, String> labels, Timestamp created, Timestamp updated) {
  /** Go's time.Time.String(), as Docker prints "Created at". */
  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS '+0000 UTC'").withZone(ZoneOffset.UTC);

  static StoredObject of(Secret s) {
    return new StoredObject(s.getId(), s.getSpec().getName(), s.getSpec().getLabelsMap(), s.getCreateTime(),
        s.getUpdateTime());
  }

  static StoredObject of(Config c) {
    return new StoredObject(c.getId(), c.getSpec().getName(), c.getSpec().getLabelsMap(), c.getCreateTime(),
        c.getUpdateTime());
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static String goTime(Timestamp t) {
    return GO_TIME.format(instant(t));
  }

  /** Docker's labels block: " - key=value", a bare key when the value is empty, sorted. */
  void printLabels(PrintWriter out) {
    if (labels.isEmpty()) {
      return;
    }
    out.println("Labels:");
    new TreeMap<>(labels).forEach((k, v) -> out.println(" - " + k + (v.isEmpty() ? "" : "=" + v)));
  }
}
