package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.activities.backup.StoreBackupKeys;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.LogContextInterceptor;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.LogContext;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Phase;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotations against the Temporal test server over gRPC, with sticky execution off so that every
 * workflow task replays the history so far, while Breakglass's loggers write through the production
 * JSON layout: every line written by workflow code and activities for a rotation carries its
 * rotation id, workflow id, run id and phase, no line carries another rotation's, replays write
 * nothing twice, and no line holds key material.
 */
class RotationLogFieldsTest {

  private static final List<String> FIELDS =
      List.of(LogContext.ROTATION_ID, LogContext.WORKFLOW_ID, LogContext.RUN_ID, LogContext.PHASE);

  @TempDir Path root;

  @Test
  void everyLineOfARotation_carriesItsFields_andNoLineAfterItCarriesThem() throws Exception {
    Testbed testbed = new Testbed(root);
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0);
        TemporalConnection connection = TemporalConnection.open(server.temporalConfig());
        BreakglassWorker worker =
            BreakglassWorker.start(
                connection.client(), server.temporalConfig(), testbed.activities.activities());
        JsonLogLines log = new JsonLogLines()) {
      rotate(connection.client(), worker, "logs-1", JWT);
      int afterFirst = log.lines().size();
      rotate(connection.client(), worker, "logs-2", PAYLOAD_KEY);
      List<JsonNode> lines = log.lines();

      List<JsonNode> first = lines.subList(0, afterFirst);
      List<JsonNode> second = lines.subList(afterFirst, lines.size());
      assertThat(first).filteredOn(ofRotation("logs-1")).as("lines of logs-1").isNotEmpty();
      assertThat(second).filteredOn(ofRotation("logs-2")).as("lines of logs-2").isNotEmpty();
      assertThat(second)
          .as("lines written after logs-1 ended carry none of its ids")
          .noneMatch(line -> line.toString().contains("logs-1"));
      for (JsonNode line : lines) {
        if (writtenByWorkflowOrActivity(line) && workflowId(line).startsWith("rotation-")) {
          assertThat(FIELDS)
              .as("fields of %s", line)
              .allMatch(field -> !mdc(line, field).isEmpty());
          String rotationId = mdc(line, LogContext.ROTATION_ID);
          assertThat(workflowId(line))
              .as("the workflow of %s belongs to its rotation", line)
              .startsWith(RotationWorkflow.workflowId(rotationId));
          assertThat(Phase.values())
              .as("phase of %s", line)
              .extracting(Phase::name)
              .contains(mdc(line, LogContext.PHASE));
        } else {
          assertThat(mdc(line, LogContext.ROTATION_ID)).as("rotation id of %s", line).isEmpty();
        }
      }
      assertThat(lines)
          .as("activity lines name their activity")
          .filteredOn(line -> logger(line).startsWith("io.breakglass.activities"))
          .filteredOn(line -> !mdc(line, LogContext.ROTATION_ID).isEmpty())
          .isNotEmpty()
          .allMatch(line -> !mdc(line, LogContext.ACTIVITY_TYPE).isEmpty());
      assertEachPhaseEnteredOnce(lines, "logs-1");
      assertEachPhaseEnteredOnce(lines, "logs-2");
      assertThat(
              new KeyMaterialSearch(everyKeyVersion(testbed, JWT, PAYLOAD_KEY)).findIn(log.raw()))
          .as("key material in the log")
          .isEmpty();
    }
  }

  @Test
  void negativeControl_withoutTheInterceptor_noLineCarriesTheFields() throws Exception {
    Testbed testbed = new Testbed(root);
    List<WorkerInterceptor> none = List.of();
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0);
        TemporalConnection connection = TemporalConnection.open(server.temporalConfig());
        BreakglassWorker worker =
            BreakglassWorker.start(
                connection.client(),
                server.temporalConfig(),
                BreakglassWorker.WORKFLOW_TYPES,
                testbed.activities.activities(),
                none);
        JsonLogLines log = new JsonLogLines()) {
      rotate(connection.client(), worker, "bare-1", JWT);
      List<JsonNode> lines = log.lines();
      assertThat(lines)
          .as("workflow and activity lines of a rotation")
          .filteredOn(RotationLogFieldsTest::writtenByWorkflowOrActivity)
          .filteredOn(line -> line.toString().contains("bare-1"))
          .isNotEmpty()
          .as(
              "without %s no line carries a rotation's fields",
              LogContextInterceptor.class.getSimpleName())
          .allMatch(line -> FIELDS.stream().allMatch(field -> mdc(line, field).isEmpty()));
    }
  }

  private static void rotate(
      WorkflowClient client, BreakglassWorker worker, String rotationId, String secret)
      throws InterruptedException {
    RotationWorkflow rotation =
        client.newWorkflowStub(
            RotationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(worker.taskQueue())
                .setWorkflowId(RotationWorkflow.workflowId(rotationId))
                .build());
    WorkflowClient.start(rotation::rotate, RotationTests.emergency(rotationId, secret));
    try (Operator operator =
        new Operator(client, rotationId)
            .approves(GateName.PROCEED, "bob")
            .approves(GateName.REVOKE, "carol")
            .start()) {
      assertThat(operator.awaitEnd(Duration.ofMinutes(3)).state())
          .isEqualTo(RotationState.COMPLETED);
    }
  }

  /** Sticky execution is off, so each workflow task replays: a replayed line would repeat. */
  private static void assertEachPhaseEnteredOnce(List<JsonNode> lines, String rotationId) {
    List<String> entered =
        lines.stream()
            .map(line -> line.path("message").asText())
            .filter(message -> message.startsWith("rotation " + rotationId + " entered "))
            .toList();
    assertThat(entered).as("phases %s entered", rotationId).isNotEmpty().doesNotHaveDuplicates();
  }

  private static Predicate<JsonNode> ofRotation(String rotationId) {
    return line -> rotationId.equals(mdc(line, LogContext.ROTATION_ID));
  }

  private static boolean writtenByWorkflowOrActivity(JsonNode line) {
    String logger = logger(line);
    return logger.startsWith("io.breakglass.workflows")
        || logger.startsWith("io.breakglass.activities");
  }

  private static String logger(JsonNode line) {
    return line.path("logger").asText();
  }

  /** The workflow id the SDK or the interceptor put on the line, or "". */
  private static String workflowId(JsonNode line) {
    String ours = mdc(line, LogContext.WORKFLOW_ID);
    return ours.isEmpty() ? mdc(line, "WorkflowId") : ours;
  }

  private static String mdc(JsonNode line, String key) {
    return line.path("mdc").path(key).asText("");
  }

  private static Map<String, byte[]> everyKeyVersion(Testbed testbed, String... secrets) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String secret : secrets) {
      for (SecretVersion version : testbed.state(secret).versions()) {
        keys.put(
            secret + ":" + version.versionId(),
            testbed.store.material(secret, version.versionId()));
      }
    }
    for (SecretVersion version : testbed.state(StoreBackupKeys.SECRET).versions()) {
      keys.put(
          "backup:" + version.versionId(),
          testbed.store.material(StoreBackupKeys.SECRET, version.versionId()));
    }
    assertThat(keys)
        .as("old and new versions of each secret")
        .hasSizeGreaterThan(2 * secrets.length);
    return keys;
  }
}
