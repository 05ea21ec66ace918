package io.shoal.cli.stack;

import io.shoal.api.v1.Service;
import io.shoal.cli.client.ControlClient;
import io.shoal.cli.compose.StackLabels;
import java.util.List;

/** A stack's services: those labelled with its namespace, as Docker finds them. */
final class StackServices {
  private StackServices() {}

  static List<Service> of(ControlClient control, String stack) {
    return control.listServices().stream()
        .filter(s -> stack.equals(s.getSpec().getLabelsMap().get(StackLabels.NAMESPACE)))
        .toList();
  }
}
