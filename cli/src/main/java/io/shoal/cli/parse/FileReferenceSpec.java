package io.shoal.cli.parse;

import io.shoal.api.v1.ConfigReference;
import io.shoal.api.v1.FileTarget;
import io.shoal.api.v1.SecretReference;

/**
 * Docker's {@code --secret} and {@code --config} value: a name, or the long form
 * {@code source=NAME[,target=PATH][,uid=UID][,gid=GID][,mode=MODE]} ({@code src} for source).
 * The mode reads as Go's {@code ParseUint(v, 0, 32)} does: "0400" and "0o400" are octal, "0x1a4"
 * hexadecimal, "256" decimal. Control resolves the name and fills in the defaults.
 */
public final class FileReferenceSpec {
  /**
   * A parsed value.
   *
   * @param source the secret's or config's name
   * @param file the target as given; empty fields take control's defaults
   */
  public record Parsed(String source, FileTarget file) {
    /** The reference; with no file when none of its fields was given. */
    public SecretReference secret() {
      SecretReference.Builder ref = SecretReference.newBuilder().setSecretName(source);
      return (defaults() ? ref : ref.setFile(file)).build();
    }

    /** The reference; with no file when none of its fields was given. */
    public ConfigReference config() {
      ConfigReference.Builder ref = ConfigReference.newBuilder().setConfigName(source);
      return (defaults() ? ref : ref.setFile(file)).build();
    }

    private boolean defaults() {
      return file.equals(FileTarget.getDefaultInstance());
    }
  }

  private FileReferenceSpec() {}

  /**
   * Parses one value; the message of the exception says what is wrong with it.
   *
   * @param what "secret" or "config", for the messages
   */
  public static Parsed parse(String value, String what) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("empty " + what);
    }
    if (!value.contains("=")) {
      if (value.contains(",")) {
        throw new IllegalArgumentException("bad " + what + " \"" + value
            + "\": use source=NAME,target=PATH,... for more than a name");
      }
      return new Parsed(value, FileTarget.getDefaultInstance());
    }
    String source = "";
    FileTarget.Builder file = FileTarget.newBuilder();
    for (String field : value.split(",", -1)) {
      int eq = field.indexOf('=');
      String key = eq < 0 ? field : field.substring(0, eq).toLowerCase(java.util.Locale.ROOT);
      String v = eq < 0 ? "" : field.substring(eq + 1);
      if (eq < 0 || v.isEmpty()) {
        throw new IllegalArgumentException("bad " + what + " \"" + value + "\": \"" + field
            + "\" needs a value (KEY=VALUE)");
      }
      switch (key) {
        case "source", "src" -> source = v;
        case "target" -> file.setName(v);
        case "uid" -> file.setUid(v);
        case "gid" -> file.setGid(v);
        case "mode" -> file.setMode(mode(value, what, v));
        default -> throw new IllegalArgumentException("bad " + what + " \"" + value + "\": unknown key \"" + key
            + "\" (Shoal takes source, target, uid, gid and mode)");
      }
    }
    if (source.isEmpty()) {
      throw new IllegalArgumentException("bad " + what + " \"" + value + "\": source=NAME is missing");
    }
    return new Parsed(source, file.build());
  }

  private static int mode(String value, String what, String v) {
    String digits = v;
    int radix = 10;
    if (v.startsWith("0x") || v.startsWith("0X")) {
      digits = v.substring(2);
      radix = 16;
    } else if (v.startsWith("0o") || v.startsWith("0O")) {
      digits = v.substring(2);
      radix = 8;
    } else if (v.length() > 1 && v.startsWith("0")) {
      digits = v.substring(1);
      radix = 8;
    }
    try {
      long mode = Long.parseLong(digits, radix);
      if (digits.startsWith("-") || digits.startsWith("+") || mode > 0xFFFF_FFFFL) {
        throw new NumberFormatException();
      }
      return (int) mode;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad " + what + " \"" + value + "\": mode \"" + v
          + "\" is not a number (octal like 0444)");
    }
  }
}
