package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.workflows.messages.values.GateName;
import io.breakglass.workflows.messages.values.Verdict;
import java.util.List;

/**
 * Update {@code decide}: an approval or rejection that gets a synchronous answer. The validator
 * applies the same rules as the signals, and refuses a decision that cannot be read, with the
 * reason.
 *
 * @param gate the gate decided
 * @param verdict approve or reject
 * @param actor who decides
 * @param comment why, for the timeline
 * @param proof who decides, proven (as {@link Approval#proof()}); null when unsigned
 * @param overridePreflight an approval that overrides the proceed gate's failed pre-flight (see
 *     {@link Approval#overridePreflight()}); its proof is bound to {@code PROCEED:OVERRIDE}
 * @param problems what could not be read (see {@link Command}); not part of the JSON
 */
public record GateDecision(
    GateName gate,
    Verdict verdict,
    String actor,
    String comment,
    String proof,
    boolean overridePreflight,
    @JsonIgnore List<String> problems)
    implements Command {

  public GateDecision {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public GateDecision(
      GateName gate,
      Verdict verdict,
      String actor,
      String comment,
      String proof,
      List<String> problems) {
    this(gate, verdict, actor, comment, proof, false, problems);
  }

  public GateDecision(GateName gate, Verdict verdict, String actor, String comment) {
    this(gate, verdict, actor, comment, null, false, List.of());
  }

  public GateDecision(GateName gate, Verdict verdict, String actor, String comment, String proof) {
    this(gate, verdict, actor, comment, proof, false, List.of());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static GateDecision fromJson(JsonNode json) {
    CommandJson in =
        CommandJson.read(json, "gate", "verdict", "actor", "comment", "proof", "overridePreflight");
    return new GateDecision(
        in.choice("gate", GateName.class),
        in.choice("verdict", Verdict.class),
        in.name("actor"),
        in.text("comment"),
        in.proof("proof"),
        Boolean.TRUE.equals(in.flag("overridePreflight")),
        in.problems());
  }
}
