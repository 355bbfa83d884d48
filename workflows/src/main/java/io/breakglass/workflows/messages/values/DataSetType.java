package io.breakglass.workflows.messages.values;

/** Where a data set's encrypted items live. */
public enum DataSetType {
  /** A column of a PostgreSQL table holding envelope v1 (JSON or binary form). */
  POSTGRES_COLUMN,
  /** A directory of files, each one a binary envelope v1. */
  ARTIFACT_DIRECTORY
}
