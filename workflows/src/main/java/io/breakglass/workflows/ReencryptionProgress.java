package io.breakglass.workflows;

import io.breakglass.workflows.messages.commands.DataSetJob;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.values.DataSetRun;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The re-encryption progress of a rotation's data sets, for its status and report. While a data
 * set's child runs, its figures are the child's latest report; once the child returns, they are its
 * result, which counts every shard. Reports still in flight then change nothing: under worker kills
 * the last report can trail the result, and the figures must not depend on which arrives last.
 * Workflow state only.
 */
final class ReencryptionProgress {

  private final Map<String, DataSetProgress> byDataSet = new LinkedHashMap<>();
  private final Set<String> settled = new HashSet<>();

  /** A child for {@code job} starts: nothing done yet, and its reports count again. */
  void start(DataSetJob job) {
    String name = job.dataSet().name();
    settled.remove(name);
    byDataSet.put(
        name,
        DataSetProgress.of(
            job.dataSet(), job.targetVersionId(), DataSetRun.start(name), Duration.ZERO, false));
  }

  /** A child's report; ignored once that data set's child has returned. */
  void report(DataSetProgress progress) {
    if (!settled.contains(progress.dataSet())) {
      byDataSet.put(progress.dataSet(), progress);
    }
  }

  /** {@code job}'s child returned {@code run} after {@code elapsed}: its figures are final. */
  void finish(DataSetJob job, DataSetRun run, Duration elapsed) {
    byDataSet.put(
        job.dataSet().name(),
        DataSetProgress.of(job.dataSet(), job.targetVersionId(), run, elapsed, true));
    settled.add(job.dataSet().name());
  }

  List<DataSetProgress> all() {
    return List.copyOf(byDataSet.values());
  }
}
