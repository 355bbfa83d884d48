package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.RotationRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a {@link RotationRequest} before anything runs. */
final class RequestRules {

  private static final Pattern ROTATION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Duration LONGEST_GATE = Duration.ofDays(7);

  private RequestRules() {}

  /**
   * Throws {@code INVALID_REQUEST} naming the first rule the request breaks.
   *
   * @param workflowId the id the workflow runs under; must be {@code rotation-<rotationId>} so one
   *     rotation id can never run twice at once
   */
  static void check(RotationRequest request, String workflowId) {
    if (request == null) {
      throw invalid("the rotation request is missing");
    }
    if (!request.problems().isEmpty()) {
      throw invalid(
          "the rotation request cannot be read: " + String.join("; ", request.problems()));
    }
    if (request.rotationId() == null || !ROTATION_ID.matcher(request.rotationId()).matches()) {
      throw invalid(
          "rotationId must be 1-64 lower-case letters, digits and dashes, starting with a letter or"
              + " digit");
    }
    String expectedId = RotationWorkflow.workflowId(request.rotationId());
    if (!expectedId.equals(workflowId)) {
      throw invalid("the workflow id must be " + expectedId + ", not " + workflowId);
    }
    List<String> secrets = request.secrets();
    if (secrets == null || secrets.isEmpty()) {
      throw invalid("secrets must name at least one secret");
    }
    for (String secret : secrets) {
      if (secret == null || !SECRET_NAME.matcher(secret).matches()) {
        throw invalid("secret names are letters, digits, '.', '_' and '-'; got: " + secret);
      }
    }
    if (new HashSet<>(secrets).size() != secrets.size()) {
      throw invalid("secrets must not repeat a name");
    }
    if (request.kind() == null) {
      throw invalid("kind must be EMERGENCY or ROUTINE");
    }
    if (request.initiator() == null || request.initiator().isBlank()) {
      throw invalid("initiator is required");
    }
    if (request.requiredApprovals() != null && request.requiredApprovals() < 1) {
      throw invalid("requiredApprovals must be at least 1");
    }
    Duration gateTimeout = request.gateTimeout();
    if (gateTimeout != null
        && (gateTimeout.isNegative()
            || gateTimeout.isZero()
            || gateTimeout.compareTo(LONGEST_GATE) > 0)) {
      throw invalid("gateTimeout must be positive and at most " + LONGEST_GATE);
    }
  }

  private static RuntimeException invalid(String message) {
    return RotationErrors.INVALID_REQUEST.failure(message);
  }
}
