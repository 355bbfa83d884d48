package io.breakglass.workflows.messages.commands;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Signal {@code halt}: finish the step in flight, start nothing new, wait for {@code resume}.
 *
 * @param actor who halts
 * @param reason why, for the timeline
 * @param problems what could not be read (see {@link Command}); not part of the JSON
 */
public record Halt(String actor, String reason, @JsonIgnore List<String> problems)
    implements Command {

  public Halt {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  public Halt(String actor, String reason) {
    this(actor, reason, List.of());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static Halt fromJson(JsonNode json) {
    CommandJson in = CommandJson.read(json, "actor", "reason");
    return new Halt(in.name("actor"), in.text("reason"), in.problems());
  }
}
