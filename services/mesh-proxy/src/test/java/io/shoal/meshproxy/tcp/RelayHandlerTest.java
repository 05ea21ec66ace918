package io.shoal.meshproxy.tcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.shoal.meshproxy.tcp.ChannelProbes.HeldWrites;
import io.shoal.meshproxy.tcp.ChannelProbes.ReadCounter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayHandlerTest {
  private final AtomicLong bytes = new AtomicLong();
  private final ReadCounter reads = new ReadCounter();
  private final HeldWrites held = new HeldWrites();
  private EmbeddedChannel peer;
  private EmbeddedChannel source;

  /** A channel relaying to {@code to}, with AUTO_READ off as the proxy's channels have it. */
  private void relay(EmbeddedChannel to) {
    peer = to;
    source = new EmbeddedChannel(false, false);
    source.config().setAutoRead(false);
    source.pipeline().addLast(reads, new RelayHandler(peer, bytes::addAndGet));
    try {
      source.register();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    source.finishAndReleaseAll();
    peer.finishAndReleaseAll();
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, UTF_8);
  }

  @Test
  void startsReadingWhenItsChannelBecomesActive() {
    relay(new EmbeddedChannel());

    assertThat(reads.reads).isEqualTo(1);
  }

  @Test
  void relaysToThePeerAndReadsAgainOnlyAfterTheWriteSucceeded() {
    relay(new EmbeddedChannel(held));
    ByteBuf hello = text("hello");

    source.writeInbound(hello);

    assertThat(held.messages).containsExactly(hello);
    assertThat(bytes.get()).isEqualTo(5);
    assertThat(reads.reads).as("no read while the peer has not taken the bytes").isEqualTo(1);

    held.promises.get(0).setSuccess();

    assertThat(reads.reads).isEqualTo(2);
    hello.release();
  }

  @Test
  void aFailedWriteClosesThePeerAndStopsReading() {
    relay(new EmbeddedChannel(held));
    ByteBuf hello = text("hello");
    source.writeInbound(hello);

    held.promises.get(0).setFailure(new IOException("broken pipe"));

    assertThat(peer.isOpen()).isFalse();
    assertThat(reads.reads).isEqualTo(1);
    hello.release();
  }

  @Test
  void whatArrivesAfterThePeerClosedIsReleasedAndItsSideCloses() {
    relay(new EmbeddedChannel());
    peer.close();
    ByteBuf late = text("late");

    source.writeInbound(late);

    assertThat(late.refCnt()).isZero();
    assertThat(source.isOpen()).isFalse();
  }

  @Test
  void whenItsSideClosesThePeerIsClosedAfterWhatItStillHadToSend() {
    relay(new EmbeddedChannel());
    peer.write(text("last words"));

    source.close();

    ByteBuf flushed = peer.readOutbound();
    assertThat(flushed.toString(UTF_8)).isEqualTo("last words");
    flushed.release();
    assertThat(peer.isOpen()).isFalse();
  }

  @Test
  void anExceptionClosesItsOwnSideAndThenThePeer() {
    relay(new EmbeddedChannel());

    source.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

    assertThat(source.isOpen()).isFalse();
    assertThat(peer.isOpen()).isFalse();
  }

  @Test
  void aFinFromItsSideReachesThePeerAfterWhatWasRelayedBeforeIt() {
    relay(new EmbeddedChannel());
    source.writeInbound(text("request"));

    source.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

    ByteBuf relayed = peer.readOutbound();
    assertThat(relayed.toString(UTF_8)).isEqualTo("request");
    relayed.release();
    // EmbeddedChannel cannot half-close, so the FIN becomes a close after the flush; between
    // sockets the peer's output is shut down instead (MeshProxyIT covers that).
    assertThat(peer.isOpen()).isFalse();
  }
}
