package io.shoal.cli.launch;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;

/**
 * One call's view of a channel the daemon keeps: the CLI shuts its channel down when a command
 * ends, which must end the view, not the connection the next call reuses.
 */
final class SharedChannel extends ManagedChannel {
  private final ManagedChannel shared;
  private volatile boolean shutdown;

  SharedChannel(ManagedChannel shared) {
    this.shared = shared;
  }

  @Override
  public <Q, A> ClientCall<Q, A> newCall(MethodDescriptor<Q, A> method, CallOptions options) {
    if (shutdown) {
      throw new IllegalStateException("this call's channel was shut down");
    }
    return shared.newCall(method, options);
  }

  @Override
  public String authority() {
    return shared.authority();
  }

  @Override
  public ManagedChannel shutdown() {
    shutdown = true;
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    return shutdown();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  @Override
  public ConnectivityState getState(boolean requestConnection) {
    return shared.getState(requestConnection);
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    shared.notifyWhenStateChanged(source, callback);
  }

  @Override
  public void resetConnectBackoff() {
    shared.resetConnectBackoff();
  }

  @Override
  public void enterIdle() {
    shared.enterIdle();
  }
}
