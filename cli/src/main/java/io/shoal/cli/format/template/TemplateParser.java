package io.shoal.cli.format.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the part of Go's text/template that Docker's {@code --format} is used with: fields,
 * literals, functions, pipelines, parentheses, {@code range}, {@code if}, {@code else},
 * {@code end} and {@code {{-}}/{{- }}} trimming. Errors read as Go's: {@code template: :1: ...}.
 */
final class TemplateParser {
  private final String source;
  private int pos;

  private TemplateParser(String source) {
    this.source = source;
  }

  static List<Node> parse(String source) {
    TemplateParser p = new TemplateParser(source);
    List<Node> nodes = new ArrayList<>();
    String end = p.nodes(nodes);
    if (end != null) {
      throw p.error("unexpected {{" + end + "}}");
    }
    return nodes;
  }

  /** Reads nodes until the end of the input (null) or an {@code else}/{@code end} action (returned). */
  private String nodes(List<Node> into) {
    while (pos < source.length()) {
      int open = source.indexOf("{{", pos);
      String text = source.substring(pos, open < 0 ? source.length() : open);
      boolean trimLeft = open >= 0 && source.startsWith("{{- ", open);
      if (trimLeft) {
        text = text.stripTrailing();
      }
      if (!text.isEmpty()) {
        into.add(new Node.Text(text));
      }
      if (open < 0) {
        pos = source.length();
        return null;
      }
      int close = source.indexOf("}}", open + 2);
      if (close < 0) {
        throw error("unclosed action");
      }
      String inside = source.substring(open + (trimLeft ? 4 : 2), close);
      boolean trimRight = inside.endsWith(" -");
      if (trimRight) {
        inside = inside.substring(0, inside.length() - 2);
      }
      pos = close + 2;
      if (trimRight) {
        while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
          pos++;
        }
      }
      String action = inside.strip();
      if (action.equals("end") || action.equals("else")) {
        return action;
      }
      if (action.startsWith("range ") || action.startsWith("if ")) {
        boolean range = action.startsWith("range ");
        Node.Pipeline pipeline = new Lexer(action.substring(range ? 6 : 3)).pipelineToEnd();
        List<Node> body = new ArrayList<>();
        List<Node> otherwise = new ArrayList<>();
        String stop = nodes(body);
        if ("else".equals(stop)) {
          stop = nodes(otherwise);
        }
        if (!"end".equals(stop)) {
          throw error("unexpected EOF: {{" + (range ? "range" : "if") + "}} without {{end}}");
        }
        into.add(range ? new Node.Range(pipeline, body, otherwise) : new Node.If(pipeline, body, otherwise));
        continue;
      }
      if (action.isEmpty()) {
        throw error("missing value for command");
      }
      into.add(new Node.Action(new Lexer(action).pipelineToEnd()));
    }
    return null;
  }

  private TemplateException error(String what) {
    return error(source, pos, what);
  }

  static TemplateException error(String source, int pos, String what) {
    int line = 1 + (int) source.substring(0, Math.min(pos, source.length())).chars().filter(c -> c == '\n').count();
    return new TemplateException("template: :" + line + ": " + what);
  }

  /** The words of one action. */
  private final class Lexer {
    private final String text;
    private int at;

    Lexer(String text) {
      this.text = text;
    }

    Node.Pipeline pipelineToEnd() {
      Node.Pipeline p = pipeline();
      skipSpace();
      if (at < text.length()) {
        throw error("unexpected \"" + text.charAt(at) + "\" in command");
      }
      return p;
    }

    private Node.Pipeline pipeline() {
      List<Node.Command> commands = new ArrayList<>();
      commands.add(command());
      skipSpace();
      while (at < text.length() && text.charAt(at) == '|') {
        at++;
        commands.add(command());
        skipSpace();
      }
      return new Node.Pipeline(commands);
    }

    private Node.Command command() {
      List<Node.Operand> operands = new ArrayList<>();
      while (true) {
        skipSpace();
        if (at >= text.length() || text.charAt(at) == '|' || text.charAt(at) == ')') {
          break;
        }
        operands.add(operand());
      }
      if (operands.isEmpty()) {
        throw error("missing value for command");
      }
      return new Node.Command(operands);
    }

    private Node.Operand operand() {
      char c = text.charAt(at);
      if (c == '.') {
        int start = ++at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
            || text.charAt(at) == '.')) {
          at++;
        }
        String path = text.substring(start, at);
        return new Node.Field(path.isEmpty() ? List.of() : List.of(path.split("\\.")));
      }
      if (c == '"') {
        StringBuilder s = new StringBuilder();
        at++;
        while (at < text.length() && text.charAt(at) != '"') {
          char ch = text.charAt(at++);
          if (ch == '\\' && at < text.length()) {
            char e = text.charAt(at++);
            s.append(switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> e;
            });
          } else {
            s.append(ch);
          }
        }
        if (at >= text.length()) {
          throw error("unterminated quoted string");
        }
        at++;
        return new Node.Literal(s.toString());
      }
      if (c == '(') {
        at++;
        Node.Pipeline nested = pipeline();
        skipSpace();
        if (at >= text.length() || text.charAt(at) != ')') {
          throw error("unclosed left paren");
        }
        at++;
        return new Node.Nested(nested);
      }
      if (Character.isDigit(c) || c == '-') {
        int start = at++;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
          at++;
        }
        return new Node.Literal(Long.parseLong(text.substring(start, at)));
      }
      if (Character.isLetter(c)) {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
          at++;
        }
        String name = text.substring(start, at);
        if (!Functions.exists(name)) {
          throw error("function \"" + name + "\" not defined");
        }
        return new Node.Function(name);
      }
      throw error("unexpected \"" + c + "\" in operand");
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
  }
}
