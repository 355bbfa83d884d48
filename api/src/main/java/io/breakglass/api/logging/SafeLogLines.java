package io.breakglass.api.logging;

import ch.qos.logback.core.pattern.DynamicConverter;
import io.dropwizard.request.logging.layout.LogbackAccessRequestLayout;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes every log line of the process safe from what requests carry, whatever log format the
 * configuration chooses: the application log's {@code %m} marks the lines after the first of a
 * message as continuations ({@link EscapedMessageConverter}), and the request log never writes a
 * credential, a body or a line break ({@link RequestLogConverters}). Logback reads its conversion
 * words from process-wide tables when a layout starts, so this runs before logging is configured.
 */
public final class SafeLogLines {

  private SafeLogLines() {}

  /** Replaces the conversion words; idempotent. */
  public static void install() {
    Map<String, Supplier<DynamicConverter>> classic =
        ch.qos.logback.classic.PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP;
    for (String word : new String[] {"m", "msg", "message"}) {
      classic.put(word, EscapedMessageConverter::new);
    }
    // Dropwizard's request log layout replaces two words of the same table when its class loads:
    // load it first, so that ours stay.
    initialise(LogbackAccessRequestLayout.class);
    Map<String, Supplier<DynamicConverter>> access =
        ch.qos.logback.access.common.PatternLayout.ACCESS_DEFAULT_CONVERTER_SUPPLIER_MAP;
    for (String word : new String[] {"r", "requestURL"}) {
      access.put(word, RequestLogConverters.RequestLine::new);
    }
    for (String word : new String[] {"q", "queryString"}) {
      access.put(word, RequestLogConverters.QueryString::new);
    }
    for (String word : new String[] {"reqParameter", "requestParameter"}) {
      access.put(word, RequestLogConverters.RequestParameter::new);
    }
    for (String word : new String[] {"i", "header"}) {
      access.put(word, RequestLogConverters.RequestHeader::new);
    }
    for (String word :
        new String[] {"requestContent", "responseContent", "fullRequest", "fullResponse"}) {
      access.put(word, RequestLogConverters.NoBody::new);
    }
  }

  private static void initialise(Class<?> type) {
    try {
      Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot load " + type.getName(), e);
    }
  }
}
