package io.breakglass.workflows;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * The data converter every worker, client and replay test uses: Temporal's JSON converter with
 * ISO-8601 times and durations (readable in the Temporal UI) and enum values accepted in any case,
 * so an operator may paste {@code "proceed"} or {@code "PROCEED"}.
 */
public final class BreakglassDataConverter {

  private BreakglassDataConverter() {}

  /** The shared JSON mapper (thread-safe once built). */
  public static ObjectMapper objectMapper() {
    ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
    mapper.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
    return mapper;
  }

  /** A converter with the Breakglass JSON settings. */
  public static DataConverter create() {
    return DefaultDataConverter.newDefaultInstance()
        .withPayloadConverterOverrides(new JacksonJsonPayloadConverter(objectMapper()));
  }
}
