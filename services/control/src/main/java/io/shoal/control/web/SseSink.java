package io.shoal.control.web;

import com.google.gson.JsonObject;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.shoal.api.v1.Event;
import io.shoal.control.events.EventSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One page's Server-Sent Events stream as an {@link EventSink}: each event is {@code id:
 * REVISION} and its JSON, so the browser's EventSource resumes after the last one it got
 * (Last-Event-ID). Ready while the socket's write buffer is under Netty's high-water mark: a
 * page that stops reading stops the sending, and the subscription's bounded queue then ends it.
 */
final class SseSink implements EventSink {
  private final Channel channel;
  private final AtomicReference<Runnable> onReady = new AtomicReference<>(() -> {});

  SseSink(Channel channel) {
    this.channel = channel;
  }

  /** Called by the channel's handler when it can take writes again. */
  void writable() {
    onReady.get().run();
  }

  @Override
  public boolean isReady() {
    return channel.isActive() && channel.isWritable();
  }

  @Override
  public void send(Event event) {
    write("id: " + event.getRevision() + "\ndata: " + json(event) + "\n\n");
  }

  @Override
  public void complete() {
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
  }

  /** Tells the page why (event "end"), then closes; the page reloads its snapshot and listens again. */
  @Override
  public void fail(Status status) {
    JsonObject reason = new JsonObject();
    reason.addProperty("code", status.getCode().name());
    reason.addProperty("message", status.getDescription());
    write("event: end\ndata: " + reason + "\n\n");
    complete();
  }

  @Override
  public boolean isCancelled() {
    return !channel.isActive();
  }

  @Override
  public void onReady(Runnable handler) {
    onReady.set(handler);
  }

  @Override
  public void onCancel(Runnable handler) {
    channel.closeFuture().addListener(f -> handler.run());
  }

  /** A comment line: keeps proxies from closing a quiet stream and finds dead peers. */
  void heartbeat() {
    write(": keep-alive\n\n");
  }

  private void write(String text) {
    channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
  }

  static JsonObject json(Event event) {
    JsonObject o = new JsonObject();
    o.addProperty("revision", event.getRevision());
    o.addProperty("type", event.getType());
    o.addProperty("action", event.getAction());
    o.addProperty("id", event.getId());
    o.addProperty("name", event.getName());
    JsonObject attributes = new JsonObject();
    event.getAttributesMap().forEach(attributes::addProperty);
    o.add("attributes", attributes);
    return o;
  }
}
