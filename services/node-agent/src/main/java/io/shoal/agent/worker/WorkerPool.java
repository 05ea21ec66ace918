package io.shoal.agent.worker;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.shoal.common.telemetry.Telemetry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's threads for blocking engine work (task passes, sweeps, orphan removals): at most
 * {@code threads} at once, and at most {@code queue} waiting. Work offered beyond that is
 * rejected, counted ({@code shoal.agent.worker.rejected}, by kind) and logged at most every
 * 10 s; the caller defers it (a task pass waits for a free worker, a sweep runs again), so a
 * burst of tasks slows the agent down instead of growing it a thread per task. After each piece
 * of work, {@code onWorkDone} runs on the worker that did it: the manager hands it deferred work.
 */
final class WorkerPool implements Executor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ThreadPoolExecutor pool;
  private final LongCounter rejectedCounter;
  private final LongAdder rejected = new LongAdder();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  WorkerPool(int threads, int queue, Telemetry telemetry, Runnable onWorkDone) {
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queue), r -> {
          Thread t = new Thread(r, "task-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }) {
      @Override
      protected void afterExecute(Runnable r, Throwable t) {
        onWorkDone.run();
      }
    };
    // Idle agents keep no threads.
    pool.allowCoreThreadTimeOut(true);
    this.rejectedCounter = telemetry.meter("io.shoal.agent")
        .counterBuilder("shoal.agent.worker.rejected")
        .setDescription("Engine work put off because every task worker was busy and the queue full")
        .build();
  }

  /** Runs a task pass soon; throws {@link RejectedExecutionException} when full or closed. */
  @Override
  public void execute(Runnable work) {
    if (!offer("task", work)) {
      throw new RejectedExecutionException("task workers busy and queue full");
    }
  }

  /** Runs {@code work} soon; false when full (counted under {@code kind}) or closed. */
  boolean offer(String kind, Runnable work) {
    try {
      pool.execute(work);
      return true;
    } catch (RejectedExecutionException e) {
      if (pool.isShutdown()) {
        return false;
      }
      rejected.increment();
      rejectedCounter.add(1, Attributes.of(KIND, kind));
      long now = System.nanoTime();
      long last = lastWarning.get();
      if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
        log.warn("all {} task workers busy and {} passes queued: {} work put off (retried later)",
            pool.getMaximumPoolSize(), pool.getQueue().size(), kind);
      }
      return false;
    }
  }

  boolean isShutdown() {
    return pool.isShutdown();
  }

  /** Whether work offered now would be taken (a worker idle or room in the queue). */
  boolean hasRoom() {
    return !pool.isShutdown()
        && (pool.getActiveCount() < pool.getMaximumPoolSize() || pool.getQueue().remainingCapacity() > 0);
  }

  /** Work rejected so far because the pool was full. */
  long rejected() {
    return rejected.sum();
  }

  /** Stops taking work and interrupts what runs (blocked engine calls fail). */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
