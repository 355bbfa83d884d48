package io.breakglass.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.logging.common.LoggingFactory;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every production example configuration in {@code deploy/config} logs one JSON object a line
 * (Dropwizard's JSON layout, served by the application's {@code dropwizard-json-logging}).
 */
class ExampleJsonLoggingTest {

  private static final Path EXAMPLES = Path.of("..", "deploy", "config");

  /** The sample service's file configures a development process, not Breakglass. */
  private static final String DEVELOPMENT_ONLY = "sample-service.yml";

  private static final ObjectMapper MAPPER = Jackson.newObjectMapper(new YAMLFactory());

  @Test
  void everyProductionExample_logsJsonLines() throws IOException {
    List<Path> examples = productionExamples();
    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      assertThat(jsonLogging(MAPPER.readTree(example.toFile()).path("logging")))
          .as("%s logs JSON lines", example.getFileName())
          .isTrue();
    }
  }

  @Test
  void negativeControl_aConsoleAppenderWithoutTheJsonLayout_isNotJson() throws IOException {
    JsonNode plain = MAPPER.readTree("logging: {appenders: [{type: console}]}").path("logging");
    JsonNode none = MAPPER.readTree("server: {}").path("logging");

    assertThat(jsonLogging(plain)).isFalse();
    assertThat(jsonLogging(none)).isFalse();
  }

  /** Whether a logging block has appenders, all with the JSON layout. */
  private static boolean jsonLogging(JsonNode block) throws IOException {
    if (block.isMissingNode()) {
      return false;
    }
    LoggingFactory logging = MAPPER.treeToValue(block, LoggingFactory.class);
    List<AppenderFactory<ILoggingEvent>> appenders =
        ((DefaultLoggingFactory) logging).getAppenders();
    return !appenders.isEmpty()
        && appenders.stream()
            .allMatch(
                appender ->
                    appender instanceof ConsoleAppenderFactory<?> console
                        && console.getLayout() instanceof EventJsonLayoutBaseFactory);
  }

  private static List<Path> productionExamples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files
          .filter(file -> file.toString().endsWith(".yml"))
          .filter(file -> !file.getFileName().toString().equals(DEVELOPMENT_ONLY))
          .sorted()
          .toList();
    }
  }
}
