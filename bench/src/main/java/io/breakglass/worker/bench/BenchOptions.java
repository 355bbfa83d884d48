package io.breakglass.worker.bench;

import io.breakglass.activities.config.DataSetConfig;
import java.nio.file.Path;

/**
 * What {@code bench} seeds and how it runs.
 *
 * @param rows rows of {@code ai_json_snapshots} (default 200,000)
 * @param rowBytes bytes of each row's stored envelope, the {@code jsonb} payload (default 2,048):
 *     the plaintext is sized to match
 * @param files chart artifacts (default 2,000)
 * @param fileBytes plaintext bytes per artifact (default 131,072), in the folder and in S3
 * @param objects chart artifacts in S3 (default 2,000)
 * @param naiveSample rows the naive per-row loop re-encrypts to measure its rate (default 20,000;
 *     at about 3,000 rows/s the whole table would take minutes)
 * @param batchSize rows per batch (one transaction each), for the engine and every baseline alike
 *     (default: the data set default)
 * @param shardSize rows per shard of the engine and the workflow (default: the data set default)
 * @param rounds how many times each side-by-side contender runs, keeping its best (default 3; one
 *     round is quicker and noisier)
 * @param data the data folder; null for a fresh temporary folder that is deleted afterwards
 * @param workflowOnly seed the table only and run one whole rotation of it with one worker, no
 *     baseline and no folder ({@code --workflow-only}: the mode for millions of rows)
 */
public record BenchOptions(
    int rows,
    int rowBytes,
    int files,
    int fileBytes,
    int objects,
    int naiveSample,
    int batchSize,
    int shardSize,
    int rounds,
    Path data,
    boolean workflowOnly) {

  public static final int DEFAULT_ROWS = 200_000;
  public static final int DEFAULT_ROW_BYTES = 2_048;
  public static final int DEFAULT_FILES = 2_000;
  public static final int DEFAULT_FILE_BYTES = 131_072;
  public static final int DEFAULT_OBJECTS = 2_000;
  public static final int DEFAULT_NAIVE_SAMPLE = 20_000;
  public static final int DEFAULT_BATCH_SIZE = DataSetConfig.DEFAULT_BATCH_SIZE;
  public static final int DEFAULT_SHARD_SIZE = DataSetConfig.DEFAULT_SHARD_SIZE;
  public static final int DEFAULT_ROUNDS = 3;

  public BenchOptions {
    positive(rows, "--rows");
    positive(rowBytes, "--row-bytes");
    positive(files, "--files");
    positive(fileBytes, "--file-bytes");
    positive(objects, "--objects");
    positive(naiveSample, "--naive-sample");
    positive(batchSize, "--batch");
    positive(shardSize, "--shard");
    positive(rounds, "--rounds");
    naiveSample = Math.min(naiveSample, rows);
  }

  /** Every run side by side (not {@code --workflow-only}), in the default rounds. */
  public BenchOptions(
      int rows,
      int rowBytes,
      int files,
      int fileBytes,
      int objects,
      int naiveSample,
      int batchSize,
      int shardSize,
      Path data) {
    this(
        rows,
        rowBytes,
        files,
        fileBytes,
        objects,
        naiveSample,
        batchSize,
        shardSize,
        DEFAULT_ROUNDS,
        data,
        false);
  }

  /** Every default, in a fresh temporary folder. */
  public static BenchOptions defaults() {
    return new BenchOptions(
        DEFAULT_ROWS,
        DEFAULT_ROW_BYTES,
        DEFAULT_FILES,
        DEFAULT_FILE_BYTES,
        DEFAULT_OBJECTS,
        DEFAULT_NAIVE_SAMPLE,
        DEFAULT_BATCH_SIZE,
        DEFAULT_SHARD_SIZE,
        null);
  }

  private static void positive(int value, String option) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, got " + value);
    }
  }
}
