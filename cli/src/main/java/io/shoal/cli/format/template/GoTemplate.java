package io.shoal.cli.format.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Go text/template as Docker's {@code --format} takes it, parsed once and run on each object
 * (a row's placeholders, or an inspected object as its JSON). Docker's placeholders are struct
 * fields, so a field the object does not have is an error naming it, as in Docker; within an
 * inspected object's JSON, an absent key is {@code <no value>}, as Go prints a missing map key.
 *
 * <pre>{@code
 * GoTemplate t = GoTemplate.parse("{{.Name}}: {{.Replicas}}");
 * String line = t.render(Map.of("Name", "web", "Replicas", "3/3"));
 * }</pre>
 */
public final class GoTemplate {
  private final List<Node> nodes;

  private GoTemplate(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** @throws TemplateException in Go's words ({@code template: :1: function "x" not defined}) */
  public static GoTemplate parse(String source) {
    return new GoTemplate(TemplateParser.parse(source.replace("\\t", "\t").replace("\\n", "\n")));
  }

  /**
   * The text for {@code dot}: maps, lists, strings, numbers and booleans.
   *
   * @param strict whether a field {@code dot} lacks is an error (placeholders) or {@code <no value>}
   */
  public String render(Object dot, boolean strict) {
    StringBuilder out = new StringBuilder();
    run(nodes, dot, strict, out);
    return out.toString();
  }

  /** The field names of the first actions ({@code .Name} → Name), for a table's header. */
  public List<String> fields() {
    List<String> names = new ArrayList<>();
    collect(nodes, names);
    return names;
  }

  private static void collect(List<Node> nodes, List<String> names) {
    for (Node n : nodes) {
      if (n instanceof Node.Action a) {
        for (Node.Command c : a.pipeline().commands()) {
          for (Node.Operand o : c.operands()) {
            if (o instanceof Node.Field f && !f.path().isEmpty()) {
              names.add(f.path().get(0));
            }
          }
        }
      }
    }
  }

  private static void run(List<Node> nodes, Object dot, boolean strict, StringBuilder out) {
    for (Node node : nodes) {
      if (node instanceof Node.Text t) {
        out.append(t.text());
      } else if (node instanceof Node.Action a) {
        out.append(Values.print(eval(a.pipeline(), dot, strict)));
      } else if (node instanceof Node.If i) {
        run(Values.truth(eval(i.pipeline(), dot, strict)) ? i.then() : i.otherwise(), dot, strict, out);
      } else if (node instanceof Node.Range r) {
        Object over = eval(r.pipeline(), dot, strict);
        List<?> items = over instanceof List<?> l ? l
            : over instanceof Map<?, ?> m ? new ArrayList<>(new java.util.TreeMap<>(m).values())
            : over == null ? List.of() : null;
        if (items == null) {
          throw new TemplateException("range can't iterate over " + Values.print(over));
        }
        if (items.isEmpty()) {
          run(r.otherwise(), dot, strict, out);
        }
        for (Object item : items) {
          run(r.body(), item, strict, out);
        }
      }
    }
  }

  private static Object eval(Node.Pipeline pipeline, Object dot, boolean strict) {
    Object value = null;
    boolean first = true;
    for (Node.Command command : pipeline.commands()) {
      List<Object> args = new ArrayList<>();
      List<Node.Operand> operands = command.operands();
      Node.Operand head = operands.get(0);
      for (Node.Operand o : operands.subList(head instanceof Node.Function ? 1 : 0, operands.size())) {
        args.add(operand(o, dot, strict));
      }
      if (!first) {
        args.add(value);
      }
      if (head instanceof Node.Function f) {
        value = Functions.call(f.name(), args);
      } else if (args.size() == 1) {
        value = args.get(0);
      } else {
        throw new TemplateException("can't give argument to non-function " + Values.print(args.get(0)));
      }
      first = false;
    }
    return value;
  }

  private static Object operand(Node.Operand o, Object dot, boolean strict) {
    if (o instanceof Node.Literal l) {
      return l.value();
    }
    if (o instanceof Node.Nested n) {
      return eval(n.pipeline(), dot, strict);
    }
    if (o instanceof Node.Field f) {
      Object v = dot;
      for (String name : f.path()) {
        if (v == null && !strict) {
          return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
          throw new TemplateException("can't evaluate field " + name + " in " + Values.print(v));
        }
        if (!m.containsKey(name)) {
          if (strict && v == dot) {
            throw new TemplateException("executing \"\" at <." + String.join(".", f.path())
                + ">: can't evaluate field " + name);
          }
          return null;
        }
        v = m.get(name);
      }
      return v;
    }
    throw new TemplateException("function " + ((Node.Function) o).name() + " used as a value");
  }
}
