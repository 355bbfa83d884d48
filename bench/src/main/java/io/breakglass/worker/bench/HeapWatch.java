package io.breakglass.worker.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap of this JVM while the runs go: the peak used (sampled every few milliseconds and read
 * from every collection's before-GC usage) and the peak used right after a collection (the live
 * data plus old garbage the collector has not reached yet), which grows with the data if anything
 * keeps a whole table in memory.
 */
final class HeapWatch implements AutoCloseable {

  private static final long SAMPLE_MILLIS = 10;

  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener onCollection = this::collected;
  private final Thread sampler;
  private volatile boolean running = true;

  private HeapWatch() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(onCollection, null, null);
        emitters.add(emitter);
      }
    }
    sampler = new Thread(this::sample, "bench-heap-watch");
    sampler.setDaemon(true);
    sampler.start();
  }

  static HeapWatch start() {
    return new HeapWatch();
  }

  /** The highest heap use seen, in MiB. */
  long peakUsedMb() {
    return peakUsed.get() >> 20;
  }

  /** The highest heap use right after a collection, in MiB. */
  long peakAfterGcMb() {
    return peakAfterGc.get() >> 20;
  }

  /** What was seen so far. */
  HeapUse use() {
    return new HeapUse(peakUsedMb(), peakAfterGcMb(), limitMb());
  }

  /** The heap's limit ({@code -Xmx}), in MiB. */
  static long limitMb() {
    return Runtime.getRuntime().maxMemory() >> 20;
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(onCollection);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
  }

  private void sample() {
    while (running) {
      peakUsed.accumulateAndGet(
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GcInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
            .getGcInfo();
    peakUsed.accumulateAndGet(heap(info.getMemoryUsageBeforeGc()), Math::max);
    peakAfterGc.accumulateAndGet(heap(info.getMemoryUsageAfterGc()), Math::max);
  }

  private long heap(Map<String, MemoryUsage> pools) {
    return pools.entrySet().stream()
        .filter(pool -> heapPools.contains(pool.getKey()))
        .mapToLong(pool -> pool.getValue().getUsed())
        .sum();
  }
}
