package io.breakglass.worker.rotation;

import static io.breakglass.worker.rotation.Testbed.ARTIFACT_KEY;
import static io.breakglass.worker.rotation.Testbed.JWT;
import static io.breakglass.worker.rotation.Testbed.PAYLOAD_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.backup.StoreBackupKeys;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.worker.BreakglassWorker;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.embedded.EmbeddedTemporal;
import io.breakglass.workflows.BreakglassDataConverter;
import io.breakglass.workflows.RotationWorkflow;
import io.breakglass.workflows.RoutineRotationWorkflow;
import io.breakglass.workflows.messages.commands.RotationRequest;
import io.breakglass.workflows.messages.queries.RotationStatus;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.RotationState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole rotation against the Temporal test server as a real gRPC server, then a search of the
 * complete histories (the rotation and the routine schedules it started) and of the status query
 * for the bytes of every key version: none may be there.
 */
class NoKeyMaterialInHistoryTest {

  @TempDir Path root;

  @Test
  void aCompletedRotation_leavesNoKeyMaterialInAnyHistoryOrQuery() throws Exception {
    Testbed testbed = new Testbed(root);
    List<String> secrets = List.of(ARTIFACT_KEY, PAYLOAD_KEY, JWT);
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0);
        TemporalConnection connection = TemporalConnection.open(server.temporalConfig());
        BreakglassWorker worker =
            BreakglassWorker.start(
                connection.client(), server.temporalConfig(), testbed.activities.activities())) {
      WorkflowClient client = connection.client();
      RotationWorkflow rotation =
          client.newWorkflowStub(
              RotationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(worker.taskQueue())
                  .setWorkflowId(RotationWorkflow.workflowId("grpc-1"))
                  .build());
      WorkflowClient.start(
          rotation::rotate,
          new RotationRequest(
              "grpc-1",
              secrets,
              io.breakglass.workflows.messages.values.RotationKind.EMERGENCY,
              "alice",
              "history search",
              null,
              null));
      RotationStatus end;
      try (Operator operator =
          new Operator(client, "grpc-1")
              .approves(GateName.PROCEED, "bob")
              .approves(GateName.REVOKE, "carol")
              .start()) {
        end = operator.awaitEnd(Duration.ofMinutes(3));
      }
      assertThat(end.state()).isEqualTo(RotationState.COMPLETED);

      KeyMaterialSearch search = new KeyMaterialSearch(everyKeyVersion(testbed, secrets));
      assertThat(search.findIn(history(client, RotationWorkflow.workflowId("grpc-1")))).isEmpty();
      for (String secret : secrets) {
        assertThat(search.findIn(history(client, RoutineRotationWorkflow.workflowId(secret))))
            .isEmpty();
      }
      byte[] status = BreakglassDataConverter.objectMapper().writeValueAsBytes(rotation.status());
      assertThat(search.findIn(status)).isEmpty();
    }
  }

  @Test
  void negativeControl_theSearchFindsKeyMaterialInEveryForm() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    KeyMaterialSearch search = new KeyMaterialSearch(Map.of("k", key));
    byte[] raw = new byte[64];
    System.arraycopy(key, 0, raw, 10, 32);

    assertThat(search.findIn(raw)).containsExactly("k raw");
    assertThat(
            search.findIn(
                ("{\"x\":\"" + Base64.getEncoder().encodeToString(key) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)))
        .contains("k base64");
    assertThat(
            search.findIn(java.util.HexFormat.of().formatHex(key).getBytes(StandardCharsets.UTF_8)))
        .contains("k hex");
    assertThat(search.findIn(new byte[64])).isEmpty();
  }

  private static byte[] history(WorkflowClient client, String workflowId) {
    WorkflowExecutionHistory history = client.fetchHistory(workflowId);
    byte[] proto = history.getHistory().toByteArray();
    byte[] json = history.toJson(false).getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[proto.length + json.length];
    System.arraycopy(proto, 0, both, 0, proto.length);
    System.arraycopy(json, 0, both, proto.length, json.length);
    assertThat(history.getEvents()).as("a real history of " + workflowId).hasSizeGreaterThan(2);
    return both;
  }

  private static Map<String, byte[]> everyKeyVersion(Testbed testbed, List<String> secrets) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String secret : concat(secrets, StoreBackupKeys.SECRET)) {
      for (SecretVersion version : testbed.state(secret).versions()) {
        keys.put(
            secret + ":" + version.versionId(),
            testbed.store.material(secret, version.versionId()));
      }
    }
    assertThat(keys).as("old, new and backup keys").hasSize(2 * secrets.size() + 1);
    return keys;
  }

  private static List<String> concat(List<String> list, String more) {
    return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(more)).toList();
  }
}
