package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Signal {@code confirmRestart}: an operator reports on a restart the {@code manual} deployment
 * target asked for.
 *
 * @param deployment the deployment restarted
 * @param operator who restarted it
 * @param ready true when every pod came back ready; false makes the rotation roll back. Required in
 *     the JSON: a confirmation without it cannot be read, rather than counting as not ready
 * @param comment what they saw
 * @param problems what could not be read (see {@link Command}); not part of the JSON
 */
public record RestartConfirmation(
    String deployment,
    String operator,
    boolean ready,
    String comment,
    @JsonIgnore List<String> problems)
    implements Command {

  public RestartConfirmation {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public RestartConfirmation(String deployment, String operator, boolean ready, String comment) {
    this(deployment, operator, ready, comment, List.of());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static RestartConfirmation fromJson(JsonNode json) {
    CommandJson in = CommandJson.read(json, "deployment", "operator", "ready", "comment");
    String deployment = in.name("deployment");
    String operator = in.name("operator");
    Boolean ready = in.flag("ready");
    in.require("ready", "true or false");
    return new RestartConfirmation(
        deployment, operator, Boolean.TRUE.equals(ready), in.text("comment"), in.problems());
  }
}
