package io.breakglass.activities.config;

import jakarta.validation.constraints.NotBlank;

/**
 * A place in S3.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, e.g. {@code charts/} (default: the whole bucket)
 */
public record S3Location(@NotBlank String bucket, String prefix) {

  public S3Location {
    prefix = prefix == null ? "" : prefix;
  }
}
