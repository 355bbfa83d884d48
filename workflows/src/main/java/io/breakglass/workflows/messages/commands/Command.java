package io.breakglass.workflows.messages.commands;

import java.util.List;

/**
 * A message an operator may type by hand (a rotation request, a signal, an update). Its JSON is
 * read leniently by {@link CommandJson}: what cannot be read does not fail the workflow task but is
 * listed in {@link #problems()}, so the workflow can refuse it with the reason. {@code problems} is
 * never part of the JSON.
 */
public interface Command {

  /** What could not be read, each naming the field and the form it accepts; empty when readable. */
  List<String> problems();
}
