package io.breakglass.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.workflows.codec.EncodedOnlyCodec;
import io.breakglass.workflows.messages.commands.Command;
import io.breakglass.workflows.messages.commands.CommandJson;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.lang.reflect.Type;

/**
 * Temporal's JSON payload converter, except that a {@link Command} whose payload is not JSON at all
 * (cut short, nested deeper than Jackson reads) still becomes a command, one listing the reason as
 * its problem. Thrown, the conversion error would fail the workflow task, which Temporal retries
 * forever; read, the workflow refuses it with the reason. A payload {@link EncodedOnlyCodec}
 * refused reads as such a command, and as nothing else.
 */
final class CommandJsonConverter extends JacksonJsonPayloadConverter {

  private static final int LONGEST_REASON = 200;

  private final ObjectMapper mapper;

  CommandJsonConverter(ObjectMapper mapper) {
    super(mapper);
    this.mapper = mapper;
  }

  @Override
  public <T> T fromData(Payload content, Class<T> valueClass, Type valueType) {
    if (content.containsMetadata(EncodedOnlyCodec.REFUSED)
        && !Command.class.isAssignableFrom(valueClass)) {
      throw new DataConverterException(EncodedOnlyCodec.REASON);
    }
    try {
      return super.fromData(content, valueClass, valueType);
    } catch (DataConverterException unreadable) {
      if (!Command.class.isAssignableFrom(valueClass)) {
        throw unreadable;
      }
      return mapper.convertValue(CommandJson.unreadable(reason(unreadable)), valueClass);
    }
  }

  /** Jackson's own words, without the location (which never shows the input). */
  private static String reason(DataConverterException unreadable) {
    String why =
        unreadable.getCause() instanceof JsonProcessingException json
            ? json.getOriginalMessage()
            : "the payload cannot be read";
    return "the input is not readable JSON: "
        + (why.length() > LONGEST_REASON ? why.substring(0, LONGEST_REASON) + "…" : why);
  }
}
