package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.workflows.messages.values.GateName;
import java.util.List;

/**
 * Signal {@code reject}: stops the rotation at the open gate; the compensations run.
 *
 * @param gate the gate rejected
 * @param approver who rejects (the initiator may reject: stopping is always allowed)
 * @param reason why, for the timeline
 * @param problems what could not be read (see {@link Command}); not part of the JSON
 */
public record Rejection(
    GateName gate, String approver, String reason, String proof, @JsonIgnore List<String> problems)
    implements Command {

  public Rejection {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public Rejection(GateName gate, String approver, String reason) {
    this(gate, approver, reason, null, List.of());
  }

  public Rejection(GateName gate, String approver, String reason, String proof) {
    this(gate, approver, reason, proof, List.of());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Rejection fromJson(JsonNode json) {
    CommandJson in = CommandJson.read(json, "gate", "approver", "reason", "proof");
    return new Rejection(
        in.choice("gate", GateName.class),
        in.name("approver"),
        in.text("reason"),
        in.proof("proof"),
        in.problems());
  }
}
