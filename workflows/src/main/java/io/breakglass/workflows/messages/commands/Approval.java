package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.workflows.messages.values.GateName;
import java.util.List;

/**
 * Signal {@code approve}: one approver's yes for the gate that is open now. An approval for a gate
 * that is not open, by the initiator, or by someone who already approved, or one that cannot be
 * read, is refused and shown in {@code status().refusals()}.
 *
 * @param gate the gate approved
 * @param approver the approver's identity (the API sets it from the authenticated principal)
 * @param comment why, for the timeline
 * @param proof who approves, proven: an identity provider's token bound to this rotation, gate and
 *     verdict, or a signed approval statement (see {@code ApprovalStatement}); null when unsigned
 * @param overridePreflight true when the approver passes the proceed gate knowingly despite a
 *     failed pre-flight; the proof is then bound to {@code PROCEED:OVERRIDE}. Only such approvals
 *     count while the pre-flight has failed, and none counts otherwise.
 * @param problems what could not be read (see {@link Command}); not part of the JSON
 */
public record Approval(
    GateName gate,
    String approver,
    String comment,
    String proof,
    boolean overridePreflight,
    @JsonIgnore List<String> problems)
    implements Command {

  public Approval {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public Approval(
      GateName gate, String approver, String comment, String proof, List<String> problems) {
    this(gate, approver, comment, proof, false, problems);
  }

  public Approval(GateName gate, String approver, String comment) {
    this(gate, approver, comment, null, List.of());
  }

  public Approval(GateName gate, String approver, String comment, String proof) {
    this(gate, approver, comment, proof, false, List.of());
  }

  /** An approval that overrides the proceed gate's failed pre-flight. */
  public static Approval overridingPreflight(
      GateName gate, String approver, String comment, String proof) {
    return new Approval(gate, approver, comment, proof, true, List.of());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Approval fromJson(JsonNode json) {
    CommandJson in =
        CommandJson.read(json, "gate", "approver", "comment", "proof", "overridePreflight");
    return new Approval(
        in.choice("gate", GateName.class),
        in.name("approver"),
        in.text("comment"),
        in.proof("proof"),
        Boolean.TRUE.equals(in.flag("overridePreflight")),
        in.problems());
  }
}
