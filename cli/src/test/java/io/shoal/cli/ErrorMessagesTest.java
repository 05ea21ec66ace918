package io.shoal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMessagesTest {
  static final String TARGET = "127.0.0.1:7400";

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(
            Status.NOT_FOUND.withDescription("service web not found"),
            "service web not found (NOT_FOUND)"),
        Arguments.of(
            Status.INVALID_ARGUMENT.withDescription(
                "ServiceSpec.name: \"bad name\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"),
            "ServiceSpec.name: \"bad name\" must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"
                + " (INVALID_ARGUMENT)"),
        Arguments.of(Status.PERMISSION_DENIED, "permission denied (PERMISSION_DENIED)"),
        Arguments.of(
            Status.UNAVAILABLE
                .withDescription("io exception")
                .withCause(
                    new IOException(
                        "finishConnect(..) failed: Connection refused: /127.0.0.1:7400",
                        new ConnectException(
                            "finishConnect(..) failed with error(-111): Connection refused"))),
            "cannot reach control at 127.0.0.1:7400: Connection refused (UNAVAILABLE); is the"
                + " cluster up? (deploy/dev.sh up)"),
        Arguments.of(
            Status.UNAVAILABLE.withDescription("Network closed for unknown reason"),
            "cannot reach control at 127.0.0.1:7400: Network closed for unknown reason"
                + " (UNAVAILABLE); is the cluster up? (deploy/dev.sh up)"),
        Arguments.of(
            Status.UNAVAILABLE.withDescription("etcd did not answer in time"),
            "control at 127.0.0.1:7400 cannot reach etcd: etcd did not answer in time (UNAVAILABLE);"
                + " etcd is down or has lost its quorum"),
        Arguments.of(
            Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 59.9s"),
            "control at 127.0.0.1:7400 did not answer in time: deadline exceeded after 59.9s"
                + " (DEADLINE_EXCEEDED)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("statuses")
  void statusesReadAsOneLineWithTheCode(Status status, String expected) {
    assertThat(ErrorMessages.describe(status.asRuntimeException(), TARGET)).isEqualTo(expected);
  }
}
