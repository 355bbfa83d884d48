package io.breakglass.worker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/** Runs tasks on a fixed number of threads, in order, and adds up the items they report. */
final class Parallel {

  private Parallel() {}

  /** Runs every task, at most {@code threads} at a time; returns the sum of their results. */
  static long sum(int threads, List<LongSupplier> tasks) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> running = new ArrayList<>();
      for (LongSupplier task : tasks) {
        running.add(pool.submit(task::getAsLong));
      }
      long total = 0;
      for (Future<Long> result : running) {
        total += result.get();
      }
      return total;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
