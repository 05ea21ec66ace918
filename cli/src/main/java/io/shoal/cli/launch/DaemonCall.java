package io.shoal.cli.launch;

import io.shoal.cli.CliContext;
import io.shoal.cli.ShoalCli;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code shoal} call served by the daemon: runs the command line with the caller's
 * environment, working directory and stdin, and sends its output and exit code back. A launcher
 * that goes away (Ctrl-C) interrupts the command, which cancels its gRPC calls.
 */
final class DaemonCall {
  /** Variables naming directories, read against the caller's working directory when relative. */
  private static final List<String> PATH_VARIABLES =
      List.of("SHOAL_CERT_PATH", "DOCKER_CONFIG", "XDG_CONFIG_HOME", "HOME");

  private final SocketChannel socket;
  private final ChannelCache channels;

  DaemonCall(SocketChannel socket, ChannelCache channels) {
    this.socket = socket;
    this.channels = channels;
  }

  void serve() {
    AtomicBoolean done = new AtomicBoolean();
    try (socket) {
      DataInputStream in = Frames.input(socket);
      DataOutputStream out = Frames.output(socket);
      Frames.Frame first = Frames.read(in);
      if (first.type() != Frames.CALL) {
        throw new IOException("a call began with frame '" + (char) first.type() + "'");
      }
      CallRequest call = CallRequest.decode(first.payload());
      Path cwd = Path.of(call.cwd());
      RemoteStdin stdin = new RemoteStdin(out);
      Thread command = Thread.currentThread();
      Thread reader = new Thread(() -> readStdin(in, stdin, command, done), command.getName() + "-in");
      reader.setDaemon(true);
      reader.start();

      PrintWriter stdout = writer(out, Frames.STDOUT);
      PrintWriter stderr = writer(out, Frames.STDERR);
      PrintStream warnings = new PrintStream(new FrameStream(out, Frames.STDERR), true, StandardCharsets.UTF_8);
      Map<String, String> env = absolutePaths(call.env(), cwd);
      CliContext context = CliContext.of(channels.forCall(env, warnings), env, call.tty(), stdin, cwd);
      int code;
      try {
        code = ShoalCli.run(context, stdout, stderr, call.args().toArray(String[]::new));
      } catch (RuntimeException | Error e) {
        // A bug or a broken install (a class missing): this call fails, the daemon serves on.
        stderr.println("shoal: internal error: " + e);
        e.printStackTrace(System.err);
        code = 1;
      }
      stdout.flush();
      stderr.flush();
      done.set(true);
      ByteArrayOutputStream exit = new ByteArrayOutputStream();
      new DataOutputStream(exit).writeInt(code);
      synchronized (out) {
        Frames.write(out, Frames.EXIT, exit.toByteArray());
      }
    } catch (IOException e) {
      if (!done.get()) {
        System.err.println("shoal-cli-daemon: a call ended early: " + e);
      }
    }
  }

  private static PrintWriter writer(DataOutputStream out, byte type) {
    return new PrintWriter(new OutputStreamWriter(new FrameStream(out, type), StandardCharsets.UTF_8), true);
  }

  /** The caller's environment with its relative directories made absolute against {@code cwd}. */
  static Map<String, String> absolutePaths(Map<String, String> env, Path cwd) {
    Map<String, String> fixed = new HashMap<>(env);
    for (String name : PATH_VARIABLES) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        fixed.put(name, cwd.resolve(value).normalize().toString());
      }
    }
    return fixed;
  }

  /**
   * After the call frame the launcher sends only stdin; when its socket ends before the command
   * does, the caller has gone (Ctrl-C) and the command is interrupted.
   */
  private static void readStdin(DataInputStream in, RemoteStdin stdin, Thread command, AtomicBoolean done) {
    try {
      while (true) {
        Frames.Frame frame = Frames.read(in);
        if (frame.type() == Frames.STDIN) {
          stdin.add(frame.payload());
        } else if (frame.type() == Frames.STDIN_END) {
          stdin.end();
        } else {
          throw new IOException("unexpected frame '" + (char) frame.type() + "' during a call");
        }
      }
    } catch (IOException e) {
      stdin.end();
      if (!done.get()) {
        command.interrupt();
      }
    }
  }

  /** Output of one kind (stdout or stderr), sent as frames as it is written. */
  private static final class FrameStream extends OutputStream {
    private final DataOutputStream out;
    private final byte type;

    FrameStream(DataOutputStream out, byte type) {
      this.out = out;
      this.type = type;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      synchronized (out) {
        Frames.write(out, type, b, off, len);
      }
    }
  }

  /** The caller's stdin, asked for on the first read: a command that reads none takes none. */
  private static final class RemoteStdin extends InputStream {
    private static final byte[] END = new byte[0];
    private final DataOutputStream out;
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private boolean asked;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    RemoteStdin(DataOutputStream out) {
      this.out = out;
    }

    void add(byte[] chunk) {
      chunks.add(chunk);
    }

    void end() {
      chunks.add(END);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (position == current.length) {
        if (ended) {
          return -1;
        }
        if (!asked) {
          asked = true;
          synchronized (out) {
            Frames.write(out, Frames.WANT_STDIN, new byte[0]);
          }
        }
        try {
          current = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("the caller went away");
        }
        position = 0;
        ended = current == END;
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      return n;
    }
  }
}
