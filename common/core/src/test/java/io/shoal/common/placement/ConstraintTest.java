package io.shoal.common.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.api.v1.Node;
import io.shoal.api.v1.NodeDescription;
import io.shoal.api.v1.NodeSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstraintTest {
  static final Node NODE = Node.newBuilder().setId("n1abc")
      .setSpec(NodeSpec.newBuilder().putLabels("zone", "East").putLabels("ssd", "true"))
      .setDescription(NodeDescription.newBuilder().setHostname("node-1").setOs("linux").setArch("x86_64")
          .putEngineLabels("tier", "gold"))
      .build();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "node.id==n1abc|true",
      "node.id!=n1abc|false",
      "node.hostname==node-1|true",
      "node.hostname == NODE-1|true",
      "node.role==worker|true",
      "node.role==manager|false",
      "node.role!=manager|true",
      "node.platform.os==linux|true",
      "node.platform.arch==x86_64|true",
      "node.platform.arch!=x86_64|false",
      "node.labels.zone==east|true",
      "node.labels.zone==west|false",
      "node.labels.zone!=west|true",
      "node.labels.ZONE==east|true",
      "node.labels.missing==x|false",
      "node.labels.missing!=x|true",
      "engine.labels.tier==gold|true",
      "engine.labels.tier!=gold|false",
      "engine.labels.zone==east|false",
  })
  void matches(String expression, boolean expected) {
    assertThat(Constraint.parse(expression).matches(NODE)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "node.labels.zone|expected one operator from ==, !=",
      "node.labels.zone=east|expected one operator from ==, !=",
      "a==b==c|expected one operator from ==, !=",
      "node.labels.zone==east!=west|expected one operator from ==, !=",
      "==east|key \"\" is invalid",
      "node.colour==red|unknown key \"node.colour\"",
      "node.labels.==x|unknown key \"node.labels.\"",
      "node.labels.zone==|value \"\" is invalid",
      "node.labels.zone==a;b|value \"a;b\" is invalid",
  })
  void rejectsBadExpressions(String expression, String why) {
    assertThatThrownBy(() -> Constraint.parse(expression))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
  }
}
