package io.shoal.control.ca;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.metrics.LongCounter;
import io.shoal.common.pki.PeerIdentity;
import io.shoal.common.telemetry.Telemetry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control's port lets a client without a certificate through the TLS handshake (a joining node
 * will have none), so every call is refused here unless the caller presented one from the
 * cluster's CA: UNAUTHENTICATED, counted, and logged at most once a minute. The join RPC, when
 * it exists, is the one exception to add.
 */
public final class MembersOnlyInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(MembersOnlyInterceptor.class);
  static final String REASON = "this call needs a client certificate from the cluster's CA: give the CLI"
      + " SHOAL_CERT_PATH, a directory with ca.pem, cert.pem and key.pem";
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  private final LongCounter refused;
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  public MembersOnlyInterceptor(Telemetry telemetry) {
    refused = telemetry.meter("shoal-control").counterBuilder("shoal.control.calls.unauthenticated")
        .setDescription("Calls refused because the caller presented no client certificate").build();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (PeerIdentity.of(call.getAttributes()).isPresent()) {
      return next.startCall(call, headers);
    }
    refused.add(1);
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
      log.warn("refused {} from {}: no client certificate (such calls are counted, logged at most once a minute)",
          call.getMethodDescriptor().getFullMethodName(), call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    }
    call.close(Status.UNAUTHENTICATED.withDescription(REASON), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
