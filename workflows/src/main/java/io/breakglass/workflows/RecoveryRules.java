package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.RecoveryRequest;
import java.util.regex.Pattern;

/** Checks a {@link RecoveryRequest} before anything runs. */
final class RecoveryRules {

  private static final Pattern ROTATION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private RecoveryRules() {}

  /**
   * Throws {@code INVALID_REQUEST} naming the first rule the request breaks.
   *
   * @param workflowId the id the workflow runs under; must be {@code unrevoke-<rotationId>}
   */
  static void check(RecoveryRequest request, String workflowId) {
    if (request == null) {
      throw invalid("the un-revoke request is missing");
    }
    if (request.rotationId() == null || !ROTATION_ID.matcher(request.rotationId()).matches()) {
      throw invalid(
          "rotationId must be 1-64 lower-case letters, digits and dashes, starting with a letter or"
              + " digit");
    }
    String expectedId = RevokeRecoveryWorkflow.workflowId(request.rotationId());
    if (!expectedId.equals(workflowId)) {
      throw invalid("the workflow id must be " + expectedId + ", not " + workflowId);
    }
    if (request.secret() == null || !SECRET_NAME.matcher(request.secret()).matches()) {
      throw invalid("secret names are letters, digits, '.', '_' and '-'; got: " + request.secret());
    }
    if (request.initiator() == null || request.initiator().isBlank()) {
      throw invalid("initiator is required");
    }
    if (request.reason() == null || request.reason().isBlank()) {
      throw invalid("reason is required");
    }
  }

  private static RuntimeException invalid(String message) {
    return RotationErrors.INVALID_REQUEST.failure(message);
  }
}
