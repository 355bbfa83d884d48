package io.breakglass.workflows.messages.commands;

import io.breakglass.workflows.messages.values.DataSetPlan;
import io.breakglass.workflows.messages.values.DataSetRun;
import java.time.Instant;
import java.util.List;

/**
 * The input of one run of {@code ReencryptDataSetWorkflow}; a run that continues as new passes on
 * where it stopped and what it did.
 *
 * @param rotationId the rotation
 * @param parentWorkflowId the rotation's workflow, which receives progress reports
 * @param dataSet the data set and its shard layout
 * @param targetVersionId the version items move to
 * @param sourceVersionIds versions items move from; empty means every version but the target
 * @param firstShard the first shard this run schedules
 * @param done what earlier runs did
 * @param startedAt when the first run started (for the rate and ETA)
 */
public record DataSetJob(
    String rotationId,
    String parentWorkflowId,
    DataSetPlan dataSet,
    String targetVersionId,
    List<String> sourceVersionIds,
    int firstShard,
    DataSetRun done,
    Instant startedAt) {}
