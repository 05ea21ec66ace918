package io.shoal.control.secret;

import io.shoal.api.v1.FileTarget;
import io.shoal.common.errors.InvalidArgumentException;
import io.shoal.control.limits.SpecLimits;

/**
 * A reference's file in the container, checked and with Swarm's defaults filled in: the source's
 * name as the file, owner 0:0, mode 0444. A secret's file lies under /run/secrets/ (given
 * relative to it); a config's anywhere (an absolute path; a relative one is taken from "/", as
 * Docker does). No path may climb out with "..".
 */
final class FileTargets {
  static final String SECRETS_DIR = "/run/secrets/";

  private FileTargets() {}

  /**
   * @param field the file's field, e.g. "ServiceSpec.secrets[0].file"
   * @param source the referenced object's name, the default file name
   * @param secret a secret's file (relative to /run/secrets/) rather than a config's
   */
  static FileTarget normalize(String field, FileTarget file, String source, boolean secret) {
    String name = file.getName().isEmpty() ? source : file.getName();
    if (secret) {
      SpecLimits.length(field + ".name", name, PayloadLimits.MAX_SECRET_TARGET);
      if (name.startsWith("/")) {
        throw new InvalidArgumentException(field + ".name", "\"" + name + "\" must be relative to " + SECRETS_DIR
            + " (a secret's file lies there)");
      }
      checkPath(field + ".name", name);
    } else {
      if (!name.startsWith("/")) {
        name = "/" + name;
      }
      SpecLimits.length(field + ".name", name, PayloadLimits.MAX_CONFIG_TARGET);
      checkPath(field + ".name", name.substring(1));
    }
    return FileTarget.newBuilder()
        .setName(name)
        .setUid(id(field + ".uid", file.getUid()))
        .setGid(id(field + ".gid", file.getGid()))
        .setMode(mode(field + ".mode", file.getMode()))
        .build();
  }

  /** Each element of a relative path is a file name: not empty, not "." or "..", no NUL. */
  private static void checkPath(String field, String relative) {
    for (String element : relative.split("/", -1)) {
      if (element.isEmpty() || element.equals(".") || element.equals("..") || element.indexOf('\0') >= 0) {
        throw new InvalidArgumentException(field, "\"" + relative.replace('\0', '?')
            + "\" must be a path of file names, without empty, \".\" or \"..\" elements");
      }
    }
  }

  /** A numeric user or group id, "0" when empty. */
  private static String id(String field, String given) {
    if (given.isEmpty()) {
      return "0";
    }
    SpecLimits.length(field, given, 10);
    if (!given.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidArgumentException(field, "\"" + given + "\" must be a numeric id (names are not resolved)");
    }
    long id = Long.parseLong(given);
    if (id > PayloadLimits.MAX_ID) {
      throw new InvalidArgumentException(field, id + " exceeds the limit of " + PayloadLimits.MAX_ID);
    }
    return Long.toString(id);
  }

  private static int mode(String field, int given) {
    if (given == 0) {
      return PayloadLimits.DEFAULT_MODE;
    }
    if (Integer.compareUnsigned(given, PayloadLimits.MAX_MODE) > 0) {
      throw new InvalidArgumentException(field, "0" + Integer.toOctalString(given)
          + " has bits beyond the permission bits (0777)");
    }
    return given;
  }
}
