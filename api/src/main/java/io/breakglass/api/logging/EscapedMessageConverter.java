package io.breakglass.api.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %m} of the application log: the formatted message with every line after the first marked
 * as a continuation ({@link LogText#continued}), so a reason holding a line break cannot forge a
 * log line.
 */
public final class EscapedMessageConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return LogText.continued(event.getFormattedMessage());
  }
}
