package io.shoal.cli.parse;

import io.shoal.api.v1.Mount;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Docker's {@code --mount} value: CSV fields {@code type=bind|volume|tmpfs} (default volume),
 * {@code source|src}, {@code target|destination|dst}, {@code readonly|ro[=BOOL]},
 * {@code bind-propagation}, {@code volume-nocopy[=BOOL]}, {@code volume-label=K=V},
 * {@code volume-driver}, {@code volume-opt=K=V}, {@code tmpfs-size} (bytes, with units),
 * {@code tmpfs-mode} (octal). A field may be quoted ({@code "volume-opt=o=a,b"}), as Go's CSV
 * reader allows. Control checks the rest (absolute paths, names).
 */
public final class MountSpec {
  private MountSpec() {}

  /** @throws IllegalArgumentException saying what is wrong with {@code value} */
  public static Mount parse(String value) {
    Mount.Builder m = Mount.newBuilder().setType(Mount.Type.TYPE_VOLUME);
    for (String field : csv(value)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      String v = eq < 0 ? null : field.substring(eq + 1);
      switch (key) {
        case "readonly", "ro" -> m.setReadOnly(bool(key, v));
        case "volume-nocopy" -> m.getVolumeOptionsBuilder().setNoCopy(bool(key, v));
        default -> {
          if (v == null) {
            throw new IllegalArgumentException("invalid field '" + field + "' must be a key=value pair");
          }
          set(m, key, v);
        }
      }
    }
    if (m.getTarget().isEmpty()) {
      throw new IllegalArgumentException("target is required");
    }
    String type = m.getType().name().substring(5).toLowerCase(Locale.ROOT);
    if (m.hasBindOptions() && m.getType() != Mount.Type.TYPE_BIND
        || m.hasVolumeOptions() && m.getType() != Mount.Type.TYPE_VOLUME
        || m.hasTmpfsOptions() && m.getType() != Mount.Type.TYPE_TMPFS) {
      throw new IllegalArgumentException("cannot mix bind-*, volume-* and tmpfs-* options with type=" + type);
    }
    return m.build();
  }

  private static void set(Mount.Builder m, String key, String v) {
    switch (key) {
      case "type" -> m.setType(switch (v.toLowerCase(Locale.ROOT)) {
        case "bind" -> Mount.Type.TYPE_BIND;
        case "volume" -> Mount.Type.TYPE_VOLUME;
        case "tmpfs" -> Mount.Type.TYPE_TMPFS;
        default -> throw new IllegalArgumentException("invalid mount type \"" + v + "\" (bind, volume or tmpfs)");
      });
      case "source", "src" -> m.setSource(v);
      case "target", "destination", "dst" -> m.setTarget(v);
      case "bind-propagation" -> m.getBindOptionsBuilder().setPropagation(v.toLowerCase(Locale.ROOT));
      case "volume-label" -> m.getVolumeOptionsBuilder().putLabels(k(v), val(v));
      case "volume-driver" -> m.getVolumeOptionsBuilder().setDriver(v);
      case "volume-opt" -> m.getVolumeOptionsBuilder().putDriverOptions(k(v), val(v));
      case "tmpfs-size" -> m.getTmpfsOptionsBuilder().setSizeBytes(ByteSize.parse(v));
      case "tmpfs-mode" -> {
        try {
          m.getTmpfsOptionsBuilder().setMode(Integer.parseInt(v, 8));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid tmpfs-mode \"" + v + "\" (octal, e.g. 1770)");
        }
      }
      default -> throw new IllegalArgumentException("unexpected key '" + key + "' in '" + key + "=" + v + "'");
    }
  }

  private static boolean bool(String key, String v) {
    if (v == null) {
      return true;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default -> throw new IllegalArgumentException("invalid value for " + key + ": " + v);
    };
  }

  private static String k(String kv) {
    int eq = kv.indexOf('=');
    return eq < 0 ? kv : kv.substring(0, eq);
  }

  private static String val(String kv) {
    int eq = kv.indexOf('=');
    return eq < 0 ? "" : kv.substring(eq + 1);
  }

  /** One CSV record: fields split on commas, a field in double quotes may hold commas ("" is "). */
  static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unclosed quote in \"" + line + "\"");
    }
    fields.add(field.toString());
    return fields;
  }
}
