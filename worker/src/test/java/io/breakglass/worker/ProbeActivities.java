package io.breakglass.worker;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ProbeActivities {

  /** Answers {@code <input> by <worker>}. */
  String work(String input);
}
