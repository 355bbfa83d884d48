package io.breakglass.workflows.messages.values;

import java.util.List;

/**
 * What re-encrypting a data set did, so far or in all.
 *
 * @param dataSet the data set
 * @param shardsDone shards finished
 * @param scanned items read
 * @param reencrypted items rewritten under the target
 * @param underTarget items the shards left under the target: rewritten, or found there already
 *     (written by an attempt whose result was lost, or by the application after PROMOTE); what a
 *     scan counts under it. Zero in results recorded before it was counted
 * @param conflicts conditional writes lost to the application (then re-read)
 * @param workers the workers that ran its shards
 */
public record DataSetRun(
    String dataSet,
    int shardsDone,
    long scanned,
    long reencrypted,
    long underTarget,
    long conflicts,
    List<String> workers) {

  /** Nothing done yet. */
  public static DataSetRun start(String dataSet) {
    return new DataSetRun(dataSet, 0, 0, 0, 0, 0, List.of());
  }
}
