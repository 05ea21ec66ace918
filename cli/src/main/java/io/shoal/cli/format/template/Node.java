package io.shoal.cli.format.template;

import java.util.List;

/** The parsed template: text, actions and their blocks. */
sealed interface Node {
  /** Text copied as it is. */
  record Text(String text) implements Node {}

  /** {@code {{PIPELINE}}}: its value, printed. */
  record Action(Pipeline pipeline) implements Node {}

  /** {@code {{range PIPELINE}}BODY{{else}}ELSE{{end}}}: BODY with each element as the dot. */
  record Range(Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {}

  /** {@code {{if PIPELINE}}THEN{{else}}ELSE{{end}}}, Go's truth: not empty, zero, false or nil. */
  record If(Pipeline pipeline, List<Node> then, List<Node> otherwise) implements Node {}

  /** Commands joined by {@code |}: each one's value is the last argument of the next. */
  record Pipeline(List<Command> commands) {}

  /** A function and its arguments, or a single operand. */
  record Command(List<Operand> operands) {}

  /** What a command is made of. */
  sealed interface Operand {}

  /** {@code .} or {@code .A.B}: fields of the dot. */
  record Field(List<String> path) implements Operand {}

  /** A string or number literal. */
  record Literal(Object value) implements Operand {}

  /** A function name. */
  record Function(String name) implements Operand {}

  /** {@code (PIPELINE)}. */
  record Nested(Pipeline pipeline) implements Operand {}
}
