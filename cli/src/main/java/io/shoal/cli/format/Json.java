package io.shoal.cli.format;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Protobuf's JSON mapping for {@code inspect}, readable in a terminal: JsonFormat escapes {@code =
 * < > & '} as {@code \u003d} and so on (HTML safety), which turns every {@code KEY=VALUE} into
 * {@code KEY\u003dVALUE}; they are written back as the characters themselves, which JSON allows
 * inside strings.
 */
public final class Json {
  private static final Map<String, Character> HTML_ESCAPES =
      Map.of("003d", '=', "003c", '<', "003e", '>', "0026", '&', "0027", '\'');

  private Json() {}

  /** A JSON array of the messages, two-space indented, {@code []} when empty. */
  public static String array(List<? extends MessageOrBuilder> messages)
      throws InvalidProtocolBufferException {
    if (messages.isEmpty()) {
      return "[]";
    }
    JsonFormat.Printer printer = JsonFormat.printer();
    StringBuilder s = new StringBuilder("[\n");
    for (int i = 0; i < messages.size(); i++) {
      s.append(unescapeHtmlSafe(printer.print(messages.get(i))).indent(2).stripTrailing());
      s.append(i + 1 < messages.size() ? ",\n" : "\n");
    }
    return s.append(']').toString();
  }

  /**
   * Undoes JsonFormat's HTML-safe escapes. Escapes are read in pairs from left to right, so an
   * escaped backslash followed by {@code u003d} (the text "\u003d" in the data) is left alone.
   */
  static String unescapeHtmlSafe(String json) {
    StringBuilder out = new StringBuilder(json.length());
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c != '\\' || i + 1 >= json.length()) {
        out.append(c);
        i++;
        continue;
      }
      if (json.charAt(i + 1) == 'u' && i + 6 <= json.length()) {
        Character plain = HTML_ESCAPES.get(json.substring(i + 2, i + 6).toLowerCase(Locale.ROOT));
        if (plain != null) {
          out.append(plain.charValue());
          i += 6;
          continue;
        }
      }
      out.append(c).append(json.charAt(i + 1));
      i += 2;
    }
    return out.toString();
  }
}
