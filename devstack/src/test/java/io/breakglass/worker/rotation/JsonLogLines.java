package io.breakglass.worker.rotation;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.slf4j.LoggerFactory;

/**
 * Captures what Breakglass's loggers ({@code io.breakglass.*}) write, through the production JSON
 * layout ({@code layout: {type: json}}), while it is open.
 */
final class JsonLogLines implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger breakglass;

  JsonLogLines() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(new EventJsonLayoutBaseFactory().build(context, TimeZone.getTimeZone("UTC")));
    encoder.start();
    appender.setContext(context);
    appender.setName("json-capture");
    appender.setEncoder(encoder);
    appender.setOutputStream(bytes);
    appender.start();
    breakglass = context.getLogger("io.breakglass");
    breakglass.addAppender(appender);
  }

  /** Everything written so far, as written. */
  byte[] raw() {
    return bytes.toByteArray();
  }

  /** Every line written so far; a line that is not one JSON object fails the test. */
  List<JsonNode> lines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : new String(raw(), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(line);
        if (!node.isObject()) {
          throw new AssertionError("a log line that is not a JSON object: " + line);
        }
        lines.add(node);
      } catch (IOException e) {
        throw new UncheckedIOException("a log line that is not JSON: " + line, e);
      }
    }
    return lines;
  }

  @Override
  public void close() {
    breakglass.detachAppender(appender);
    appender.stop();
  }
}
