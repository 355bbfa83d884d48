package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.breakglass.workflows.messages.values.ResumeAction;
import java.util.List;

/**
 * Signal {@code resume}: the human decision a halted rotation waits for. After a {@code halt} the
 * action is CONTINUE or ROLLBACK; after a data failure RETRY, ROLLBACK or RESTORE_AND_ROLLBACK;
 * after a compensation that keeps failing RETRY or SKIP_STEP. Other actions are refused.
 *
 * @param actor who decides
 * @param action what to do
 * @param comment why, for the timeline
 * @param problems what could not be read (see {@link Command}); not part of the JSON
 */
public record Resume(
    String actor, ResumeAction action, String comment, @JsonIgnore List<String> problems)
    implements Command {

  public Resume {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public Resume(String actor, ResumeAction action, String comment) {
    this(actor, action, comment, List.of());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Resume fromJson(JsonNode json) {
    CommandJson in = CommandJson.read(json, "actor", "action", "comment");
    return new Resume(
        in.name("actor"),
        in.choice("action", ResumeAction.class),
        in.text("comment"),
        in.problems());
  }
}
