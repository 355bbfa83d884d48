package io.breakglass.worker.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bench's last line: one flat JSON object, its fields in the order they were put. */
final class JsonLine {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> fields = new LinkedHashMap<>();

  JsonLine put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  /** The sizes every bench reports: rows and their bytes, batch and shard. */
  JsonLine sizes(BenchOptions options) {
    return put("rows", options.rows())
        .put("row_bytes", options.rowBytes())
        .put("batch", options.batchSize())
        .put("shard", options.shardSize());
  }

  @Override
  public String toString() {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the bench's JSON line", e);
    }
  }
}
