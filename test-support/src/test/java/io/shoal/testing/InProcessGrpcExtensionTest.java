package io.shoal.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InProcessGrpcExtensionTest {
  private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  private static final MethodDescriptor<String, String> CALL = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("test.Text/Call")
      .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

  @RegisterExtension final InProcessGrpcExtension grpc = new InProcessGrpcExtension();

  private static BindableService text(UnaryOperator<String> answer) {
    return () -> ServerServiceDefinition.builder("test.Text")
        .addMethod(CALL, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(answer.apply(request));
          response.onCompleted();
        }))
        .build();
  }

  private static String call(ManagedChannel channel, String request) {
    return ClientCalls.blockingUnaryCall(channel, CALL, CallOptions.DEFAULT, request);
  }

  @Test
  void eachServerHasANameOfItsOwn() {
    ManagedChannel echo = grpc.serve(text(s -> s));
    ManagedChannel upper = grpc.serve(text(String::toUpperCase));

    assertThat(call(echo, "hi")).isEqualTo("hi");
    assertThat(call(upper, "hi")).isEqualTo("HI");
  }

  @Test
  void afterEachTestEveryServerAndChannelIsShutDown() throws Exception {
    ManagedChannel echo = grpc.serve(text(s -> s));
    ManagedChannel unserved = grpc.unservedChannel();

    grpc.afterEach(null); // as JUnit calls it after a test (and will again after this one, harmlessly)

    assertThat(echo.isTerminated()).isTrue();
    assertThat(unserved.isTerminated()).isTrue();
    assertThatThrownBy(() -> call(echo, "hi")).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void aCallOnTheUnservedChannelIsUnavailable() {
    ManagedChannel unserved = grpc.unservedChannel();

    assertThatThrownBy(() -> call(unserved, "hi"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
