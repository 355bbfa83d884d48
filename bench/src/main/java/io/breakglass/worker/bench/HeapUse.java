package io.breakglass.worker.bench;

/**
 * What {@link HeapWatch} saw over a bench, in MiB: the heap stays flat when the use right after a
 * collection does not grow with the data.
 *
 * @param peakMb the highest heap use seen
 * @param peakAfterGcMb the highest heap use right after a collection
 * @param limitMb the JVM's heap limit ({@code -Xmx})
 */
record HeapUse(long peakMb, long peakAfterGcMb, long limitMb) {

  /** The report's heap line. */
  String line() {
    return String.format(
        "heap                     peak %d MiB used, %d MiB right after a collection, limit %d MiB",
        peakMb, peakAfterGcMb, limitMb);
  }

  /** The heap's fields of the JSON line. */
  void putInto(JsonLine json) {
    json.put("max_heap_mb", peakMb).put("max_heap_after_gc_mb", peakAfterGcMb);
    json.put("heap_limit_mb", limitMb);
  }
}
