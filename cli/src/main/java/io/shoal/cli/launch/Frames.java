package io.shoal.cli.launch;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The CLI daemon's wire format on its Unix socket: frames of one type byte, a length and that many
 * bytes. The launcher sends {@link #CALL} once, then {@link #STDIN} chunks and {@link #STDIN_END}
 * when asked; the daemon answers with {@link #STDOUT}/{@link #STDERR} chunks, {@link #WANT_STDIN}
 * when a command first reads stdin, and {@link #EXIT} last. Only java.base here: the launcher must
 * load nothing else.
 */
final class Frames {
  /** Bumped on any change to the format; a daemon of another version refuses the call. */
  static final int VERSION = 1;

  static final byte CALL = 'Q';
  static final byte STDIN = 'I';
  static final byte STDIN_END = 'i';
  static final byte STDOUT = 'O';
  static final byte STDERR = 'E';
  static final byte WANT_STDIN = 'R';
  static final byte EXIT = 'X';

  /** The largest frame either side accepts: a call's arguments and environment fit easily. */
  static final int MAX_FRAME_BYTES = 8 << 20;

  private Frames() {}

  /** One frame read whole. */
  record Frame(byte type, byte[] payload) {}

  static void write(DataOutputStream out, byte type, byte[] payload, int offset, int length) throws IOException {
    out.writeByte(type);
    out.writeInt(length);
    out.write(payload, offset, length);
    out.flush();
  }

  static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
    write(out, type, payload, 0, payload.length);
  }

  /** The next frame; {@link EOFException} when the other side has gone. */
  static Frame read(DataInputStream in) throws IOException {
    byte type = in.readByte();
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new IOException("CLI daemon frame of " + length + " bytes (at most " + MAX_FRAME_BYTES + ")");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, payload);
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME_BYTES) {
      throw new IOException("CLI daemon string of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Streams over {@code channel} whose reads and writes do not exclude each other: the JDK's
   * {@code Channels.newInputStream} holds the channel's blocking lock while it waits to read, so
   * a call waiting for stdin could never write its output.
   */
  static DataInputStream input(SocketChannel channel) {
    return new DataInputStream(new BufferedInputStream(new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
      }
    }));
  }

  static DataOutputStream output(SocketChannel channel) {
    return new DataOutputStream(new BufferedOutputStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    }));
  }
}
