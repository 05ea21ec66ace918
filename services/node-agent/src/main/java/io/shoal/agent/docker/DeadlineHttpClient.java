package io.shoal.agent.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives every request to dockerd a deadline, and abandons it there: a hung dockerd fails the
 * call instead of holding the agent's worker for ever.
 *
 * <p>Why not only the transport's response timeout: over a unix socket (dockerd's default)
 * docker-java reads through a {@code SocketChannel} that ignores {@code SO_TIMEOUT}, so
 * httpclient5's response timeout never fires (measured: a call to a socket that never answers
 * blocks for good). That channel is interruptible, though: at the deadline this client interrupts
 * the thread waiting for dockerd, which closes the connection and fails the read. Over
 * {@code tcp://} the interrupt does nothing and the {@code timed} client's response timeout (time
 * between two reads) bounds the wait instead.
 *
 * <p>The deadline depends on the request (see {@link Kind}): a call gets {@code call}; a stop
 * waits for the container, so it gets its {@code t} seconds more and goes through the
 * {@code untimed} client; a pull gets {@code pull} for the whole stream; the event stream and a
 * container's log stream only get {@code call} to start answering, then run for as long as the
 * agent reads them (a followed log is quiet for as long as the container writes nothing).
 */
final class DeadlineHttpClient implements DockerHttpClient {
  private final DockerHttpClient timed;
  private final DockerHttpClient untimed;
  private final DockerTimeouts timeouts;
  private final TimeoutCounter counter;
  private final ScheduledThreadPoolExecutor watchdog;

  /**
   * @param timed with a response timeout of {@code timeouts.call()}: calls and pulls
   * @param untimed without one: stops (they last a grace period) and the event stream (quiet
   *     for as long as no container changes)
   */
  DeadlineHttpClient(DockerHttpClient timed, DockerHttpClient untimed, DockerTimeouts timeouts,
      TimeoutCounter counter) {
    this.timed = timed;
    this.untimed = untimed;
    this.timeouts = timeouts;
    this.counter = counter;
    this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "docker-deadlines");
      t.setDaemon(true);
      return t;
    });
    // Most requests finish long before their deadline: drop their timers at once.
    watchdog.setRemoveOnCancelPolicy(true);
  }

  /** What a request is, for its deadline and its client. */
  enum Kind {
    CALL, STOP, PULL, EVENTS, LOGS;

    private static final Pattern STOP_PATH = Pattern.compile("/containers/[^/?]+/stop(\\?.*)?$");
    private static final Pattern LOGS_PATH = Pattern.compile("^/containers/[^/?]+/logs(\\?.*)?$");
    private static final Pattern T_PARAM = Pattern.compile("[?&]t=(\\d{1,9})(&|$)");

    static Kind of(String method, String path) {
      String p = path.replaceFirst("^/v[0-9.]+/", "/");
      if ("POST".equals(method) && STOP_PATH.matcher(p).find()) {
        return STOP;
      }
      if ("POST".equals(method) && p.startsWith("/images/create")) {
        return PULL;
      }
      if ("GET".equals(method) && (p.equals("/events") || p.startsWith("/events?"))) {
        return EVENTS;
      }
      if ("GET".equals(method) && LOGS_PATH.matcher(p).find()) {
        return LOGS;
      }
      return CALL;
    }

    /** The time {@code path} of this kind may take. */
    Duration limit(String path, DockerTimeouts timeouts) {
      return switch (this) {
        case CALL, EVENTS, LOGS -> timeouts.call();
        case PULL -> timeouts.pull();
        case STOP -> timeouts.call().plus(stopWait(path));
      };
    }

    /** How long dockerd waits before it kills: {@code t}, or Swarm's default of 10 s. */
    private static Duration stopWait(String path) {
      Matcher t = T_PARAM.matcher(path);
      return t.find() ? Duration.ofSeconds(Long.parseLong(t.group(1))) : Duration.ofSeconds(10);
    }

    /** Whether the deadline covers only the wait for the answer to start, not its stream. */
    boolean streams() {
      return this == EVENTS || this == LOGS;
    }

    boolean untimed() {
      return this == STOP || this == EVENTS || this == LOGS;
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public Response execute(Request request) {
    Kind kind = Kind.of(request.method(), request.path());
    Duration limit = kind.limit(request.path(), timeouts);
    Deadline deadline = new Deadline(kind, limit);
    Response response;
    try {
      response = (kind.untimed() ? untimed : timed).execute(request);
    } catch (RuntimeException e) {
      if (deadline.end()) {
        throw new UncheckedIOException(deadline.exception());
      }
      throw e;
    }
    if (kind.streams()) {
      if (deadline.end()) {
        response.close();
        throw new UncheckedIOException(deadline.exception());
      }
      return response;
    }
    return new DeadlineResponse(response, deadline);
  }

  @Override
  public void close() throws IOException {
    watchdog.shutdownNow();
    try {
      timed.close();
    } finally {
      untimed.close();
    }
  }

  /**
   * One request's deadline: interrupts the thread that started the request if it is still
   * waiting for dockerd then.
   */
  private final class Deadline implements Runnable {
    private final Thread thread = Thread.currentThread();
    private final Kind kind;
    private final Duration limit;
    private final ScheduledFuture<?> timer;
    @GuardedBy("this")
    private boolean fired;
    @GuardedBy("this")
    private boolean ended;

    Deadline(Kind kind, Duration limit) {
      this.kind = kind;
      this.limit = limit;
      this.timer = watchdog.schedule(this, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void run() {
      if (!ended) {
        fired = true;
        counter.add(kind.label());
        thread.interrupt();
      }
    }

    /**
     * Ends the deadline; true when it fired first. The interrupt it sent is cleared, so the
     * thread (an agent worker) goes on with its next task uninterrupted.
     */
    boolean end() {
      timer.cancel(false);
      synchronized (this) {
        ended = true;
        if (fired && Thread.currentThread() == thread) {
          Thread.interrupted();
        }
        return fired;
      }
    }

    synchronized boolean hasFired() {
      return fired;
    }

    DockerTimeoutException exception() {
      String flag = kind == Kind.PULL ? "--pull-timeout" : "--docker-timeout";
      String what = kind == Kind.PULL ? "did not finish the pull" : "did not answer";
      return new DockerTimeoutException("dockerd " + what + " within "
          + DockerTimeouts.format(limit) + " (" + flag + ")");
    }
  }

  /** The answer of a call or pull; its deadline ends when docker-java closes it. */
  private static final class DeadlineResponse implements Response {
    private final Response response;
    private final Deadline deadline;

    DeadlineResponse(Response response, Deadline deadline) {
      this.response = response;
      this.deadline = deadline;
    }

    @Override
    public int getStatusCode() {
      return response.getStatusCode();
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return response.getHeaders();
    }

    @Override
    public String getHeader(String name) {
      return response.getHeader(name);
    }

    /** The body; a read cut by the deadline fails with the timeout, not a closed channel. */
    @Override
    public InputStream getBody() {
      return new FilterInputStream(response.getBody()) {
        @Override
        public int read() throws IOException {
          try {
            return super.read();
          } catch (IOException e) {
            throw translate(e);
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return super.read(b, off, len);
          } catch (IOException e) {
            throw translate(e);
          }
        }
      };
    }

    private IOException translate(IOException e) {
      if (deadline.hasFired()) {
        DockerTimeoutException timeout = deadline.exception();
        timeout.initCause(e);
        return timeout;
      }
      return e;
    }

    @Override
    public void close() {
      try {
        response.close();
      } finally {
        deadline.end();
      }
    }
  }
}
