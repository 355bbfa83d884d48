package io.breakglass.activities.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * A place in S3.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, e.g. {@code charts/} (default: the whole bucket)
 * @param multipartThreshold objects larger than this many bytes are streamed with multipart uploads
 *     and the streaming envelope instead of read whole (default 16 MiB, at least 5 MiB, S3's
 *     smallest part)
 */
public record S3Location(
    @NotBlank String bucket, String prefix, @Min(5L << 20) long multipartThreshold) {

  /** The default {@link #multipartThreshold}. */
  public static final long DEFAULT_MULTIPART_THRESHOLD = 16L << 20;

  public S3Location {
    prefix = prefix == null ? "" : prefix;
    multipartThreshold = multipartThreshold == 0 ? DEFAULT_MULTIPART_THRESHOLD : multipartThreshold;
  }

  /** A location with the default multipart threshold. */
  public S3Location(String bucket, String prefix) {
    this(bucket, prefix, 0);
  }
}
