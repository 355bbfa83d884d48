package io.breakglass.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text from requests made safe for a log line, and the conversion words that apply it. */
class LogTextTest {

  private static final String FORGED = "2026-12-03 INFO fake line";

  @Test
  void oneLine_escapesLineBreaksAndControlCharacters_keepingTabs() {
    assertThat(LogText.oneLine("a\nb\r\nc\u0000d\u001be\tf\u2028g"))
        .isEqualTo("a\\nb\\r\\nc\\u0000d\\u001be\tf\\u2028g");
    assertThat(LogText.oneLine("plain text, ünïcode")).isEqualTo("plain text, ünïcode");
    assertThat(LogText.oneLine(null)).isNull();
  }

  @Test
  void continued_marksEveryLineAfterTheFirst() {
    assertThat(LogText.continued("reason\n" + FORGED + "\r\nmore\rlast\u0085end"))
        .isEqualTo("reason\n  | " + FORGED + "\n  | more\n  | last\n  | end");
  }

  @Test
  void theInstalledMessageWord_forgesNoLine_whereLogbacksOwnWould() {
    SafeLogLines.install();
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            LogTextTest.class.getName(),
            context.getLogger("notice"),
            Level.INFO,
            "summary={}",
            null,
            new Object[] {"rotated\n" + FORGED});

    String installed = layout(context, false).doLayout(event);
    String stock = layout(context, true).doLayout(event);

    assertThat(installed.lines())
        .noneMatch(line -> line.startsWith(FORGED))
        .anyMatch(line -> line.contains(FORGED));
    assertThat(stock.lines())
        .as("negative control: logback's own %m")
        .anyMatch(line -> line.startsWith(FORGED));
  }

  @Test
  void theRequestLog_redactsCredentialParameters_only() {
    assertThat(RequestLogConverters.redactedQuery("?limit=5&access_token=abc&id_token=x&code=y&q"))
        .isEqualTo("?limit=5&access_token=***&id_token=***&code=***&q");
    assertThat(RequestLogConverters.redactedQuery("?limit=5")).isEqualTo("?limit=5");
    assertThat(RequestLogConverters.redactedQuery("")).isEmpty();
    assertThat(List.of("access_token", "Access%5FToken", "api_key", "password"))
        .allMatch(name -> RequestLogConverters.redactedQuery("?" + name + "=s").endsWith("=***"));
  }

  /**
   * A layout as the configuration's log format builds one; {@code stock}: with logback's own %m.
   */
  private static PatternLayout layout(LoggerContext context, boolean stock) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    if (stock) {
      layout.getInstanceConverterMap().put("m", MessageConverter::new);
    }
    layout.setPattern("%-5p %c: %m%n");
    layout.start();
    return layout;
  }
}
