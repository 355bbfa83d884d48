package io.breakglass.workflows.messages.values;

/** Where a data set's encrypted items live. */
public enum DataSetType {
  /** A column of a PostgreSQL table holding envelope v1 (JSON or binary form). */
  POSTGRES_COLUMN,
  /** A directory of files, each one a binary envelope v1. */
  ARTIFACT_DIRECTORY,
  /**
   * Objects under an S3 bucket prefix: binary envelope v1 up to the multipart threshold, the
   * streaming envelope above it.
   */
  S3_OBJECTS
}
