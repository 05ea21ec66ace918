package io.shoal.cli.launch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code shoal} call as the launcher hands it to the daemon: the arguments, the caller's
 * environment and working directory, and whether its stdout is a terminal.
 */
record CallRequest(List<String> args, Map<String, String> env, String cwd, boolean tty) {
  CallRequest {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(Frames.VERSION);
      Frames.writeString(out, cwd);
      out.writeBoolean(tty);
      out.writeInt(args.size());
      for (String arg : args) {
        Frames.writeString(out, arg);
      }
      out.writeInt(env.size());
      for (Map.Entry<String, String> e : env.entrySet()) {
        Frames.writeString(out, e.getKey());
        Frames.writeString(out, e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IOException when the bytes are not a call of this version */
  static CallRequest decode(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    int version = in.readInt();
    if (version != Frames.VERSION) {
      throw new IOException("a launcher of protocol " + version + " called a daemon of " + Frames.VERSION);
    }
    String cwd = Frames.readString(in);
    boolean tty = in.readBoolean();
    int argc = count(in, payload);
    String[] args = new String[argc];
    for (int i = 0; i < argc; i++) {
      args[i] = Frames.readString(in);
    }
    int envc = count(in, payload);
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < envc; i++) {
      env.put(Frames.readString(in), Frames.readString(in));
    }
    return new CallRequest(List.of(args), env, cwd, tty);
  }

  /** A count of strings, each of which takes at least its 4-byte length. */
  private static int count(DataInputStream in, byte[] payload) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > payload.length / 4) {
      throw new IOException("a call of " + payload.length + " bytes cannot hold " + n + " strings");
    }
    return n;
  }
}
