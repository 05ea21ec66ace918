package io.shoal.cli.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The CLI daemon: serves {@code shoal} calls on a Unix socket, each on a thread of its own, with
 * the classes, compiled code and channels to control kept from call to call ({@link DaemonCall},
 * {@link ChannelCache}). One per user and build: the socket lives in a directory only its owner
 * may enter, and its name carries a digest of the CLI's jars, so a rebuilt CLI starts a new
 * daemon. It ends itself after {@code -Dshoal.cli.idle} (Go duration seconds, default 600) without
 * a call, and a lock file, which holds its pid, keeps a second one from serving the same socket.
 */
public final class CliDaemon {
  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private CliDaemon() {}

  /** Where a daemon for {@code socket} writes what it has to say (start failures, crashes). */
  static Path logOf(Path socket) {
    return socket.resolveSibling(socket.getFileName() + ".log");
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: CliDaemon SOCKET");
      System.exit(2);
    }
    GRPC_LOGGER.setLevel(Level.OFF);
    System.setProperty("org.slf4j.simpleLogger.log.io.shoal.common", "warn");
    Path socket = Path.of(args[0]).toAbsolutePath();
    try {
      checkPrivate(socket.getParent());
    } catch (IOException e) {
      System.err.println("shoal-cli-daemon: " + e.getMessage());
      System.exit(1);
    }
    Duration idle = Duration.ofSeconds(Long.getLong("shoal.cli.idle", 600));
    try (FileChannel lockFile = FileChannel.open(socket.resolveSibling(socket.getFileName() + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = acquire(lockFile, socket)) {
      if (lock == null) {
        return; // another daemon serves this socket; the launcher that started this one connects to it
      }
      // Who serves the socket, for whoever wonders which process it is.
      lockFile.truncate(0).write(java.nio.ByteBuffer.wrap(
          (ProcessHandle.current().pid() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      Files.deleteIfExists(socket); // left by a daemon that was killed
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(socket));
        serve(server, socket, idle);
      }
    }
    System.exit(0);
  }

  /**
   * The lock of {@code socket}, or null when a live daemon holds it. A daemon that is stopping
   * holds it for a moment more after its socket is gone: wait that out (at most 5 s).
   */
  private static FileLock acquire(FileChannel lockFile, Path socket) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      FileLock lock = lockFile.tryLock();
      if (lock != null || Files.exists(socket) || System.nanoTime() > deadline) {
        return lock;
      }
      Thread.sleep(50); // a lock held by another process gives nothing to wait on
    }
  }

  /**
   * The socket's directory must be the caller's alone: anyone who can reach the socket runs
   * commands with the caller's certificate.
   */
  static void checkPrivate(Path dir) throws IOException {
    String me = System.getProperty("user.name");
    String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    if (!owner.equals(me) || !OWNER_ONLY.containsAll(permissions)) {
      throw new IOException(dir + " must belong to " + me + " and be closed to others (drwx------), not "
          + owner + " " + PosixFilePermissions.toString(permissions));
    }
  }

  /**
   * Accepts calls until idle. Stopping removes the socket file first, so that no launcher can
   * connect any more, then serves the calls already queued: none is dropped.
   */
  private static void serve(ServerSocketChannel server, Path socket, Duration idle)
      throws IOException, InterruptedException {
    ChannelCache channels = new ChannelCache();
    AtomicInteger running = new AtomicInteger();
    AtomicLong lastCall = new AtomicLong(System.nanoTime());
    AtomicInteger calls = new AtomicInteger();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    server.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      server.register(selector, SelectionKey.OP_ACCEPT);
      while (true) {
        selector.select(1_000);
        selector.selectedKeys().clear();
        boolean idleLongEnough = System.nanoTime() - lastCall.get() > idle.toNanos();
        boolean stopping = (running.get() == 0 && idleLongEnough) || !Files.exists(socket);
        if (stopping) {
          Files.deleteIfExists(socket);
        }
        SocketChannel client;
        while ((client = server.accept()) != null) {
          client.configureBlocking(true);
          running.incrementAndGet();
          lastCall.set(System.nanoTime());
          SocketChannel accepted = client;
          Thread call = new Thread(() -> {
            try {
              new DaemonCall(accepted, channels).serve();
            } finally {
              lastCall.set(System.nanoTime());
              running.decrementAndGet();
              threads.remove(Thread.currentThread());
            }
          }, "shoal-cli-call-" + calls.incrementAndGet());
          threads.add(call);
          call.start();
        }
        if (stopping) {
          break;
        }
      }
    }
    server.close();
    for (Thread call : threads) {
      call.join(); // the calls accepted in the last round finish on the channels they use
    }
    channels.close();
  }
}
