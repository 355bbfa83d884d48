package io.breakglass.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.breakglass.api.ApiTest;
import io.breakglass.api.http.JettyWireLog;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An operator-supplied value goes to the secret store and nowhere else: not into any response, log
 * line, audit row or Temporal history.
 */
class PendingValueTest extends ApiTest {

  private static final String VALUE =
      "sk-pending-" + Long.toHexString(System.nanoTime()) + "-never-echoed";

  @Test
  void theValue_isStaged_andAppearsInNoResponseLogAuditRowOrHistory() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    List<String> responses = new ArrayList<>();
    try {
      HttpResponse<String> staged = put("olivia", "openai", VALUE + "\n");
      responses.add(staged.body());
      responses.add(put("vera", "openai", VALUE).body());
      responses.add(put("olivia", "jwt", VALUE).body());
      responses.add(put("olivia", "nope", VALUE).body());
      responses.add(testbed.get("ada", "/api/audit?limit=50").body());

      assertThat(staged.statusCode()).isEqualTo(204);
      assertThat(new String(testbed.stack().store().staged("openai"), StandardCharsets.UTF_8))
          .isEqualTo(VALUE);
    } finally {
      root.detachAppender(logs);
    }

    assertThat(responses).noneMatch(body -> body.contains(VALUE));
    assertThat(logs.list)
        .noneMatch(
            e ->
                e.getFormattedMessage().contains(VALUE)
                    || (e.getThrowableProxy() != null
                        && ThrowableProxyUtil.asString(e.getThrowableProxy()).contains(VALUE)));
    assertThat(testbed.get("ada", "/api/audit?limit=50").body())
        .contains("PUT /api/secrets/{name}/pending-value")
        .contains("pending value staged for the next rotation of openai");
    for (String rotation :
        List.of("f-target", "b-gate", "m-den", "m-h-operator", "m-h-admin", "j-full")) {
      String workflowId = "rotation-" + rotation;
      try {
        assertThat(testbed.stack().client().fetchHistory(workflowId).toJson(false))
            .doesNotContain(VALUE);
      } catch (io.temporal.client.WorkflowNotFoundException | io.grpc.StatusRuntimeException e) {
        // That test class did not run in this JVM.
      }
    }
  }

  @Test
  void negativeControl_withJettyLoggingDebug_theValueWouldBeLogged_andTheApiPreventsThat() {
    Logger jetty = (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
    Level configured = jetty.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      jetty.setLevel(Level.DEBUG);
      put("olivia", "openai", VALUE + "-debug");
      boolean leakedAtDebug = messages(logs).stream().anyMatch(m -> m.contains(VALUE + "-debug"));

      boolean raised = JettyWireLog.keepBodiesOut();
      put("olivia", "openai", VALUE + "-guarded");

      assertThat(leakedAtDebug).as("the search finds the value when Jetty dumps it").isTrue();
      assertThat(raised).isTrue();
      assertThat(messages(logs)).noneMatch(m -> m.contains(VALUE + "-guarded"));
    } finally {
      root.detachAppender(logs);
      jetty.setLevel(configured);
    }
  }

  @Test
  void aGeneratedSecret_takesNoValue_andAnEmptyValueIsRefused() {
    BadInputTest.assertError(put("olivia", "jwt", "x"), 409, "only API_KEY secrets");
    BadInputTest.assertError(put("olivia", "openai", "\n"), 400, "the value is empty");
    BadInputTest.assertError(put("olivia", "nope", "x"), 404, "secret nope is not configured");
  }

  /**
   * The messages so far: the appender appends under its own lock, from the worker's threads too.
   */
  private static List<String> messages(ListAppender<ILoggingEvent> logs) {
    synchronized (logs) {
      return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static HttpResponse<String> put(String user, String secret, String value) {
    return testbed.send(
        user,
        HttpRequest.newBuilder(testbed.uri("/api/secrets/" + secret + "/pending-value"))
            .header("Content-Type", "text/plain")
            .PUT(HttpRequest.BodyPublishers.ofString(value)));
  }
}
