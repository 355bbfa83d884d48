package io.breakglass.activities.data.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * An object written as a multipart upload, one part buffer at a time, so memory holds one part
 * whatever the object's size. The upload starts with the first full part; nothing is visible until
 * {@link #completeIfMatch} or {@link #complete}, and {@link #abort()} discards the parts (S3 bills
 * stored parts until then). Not thread-safe.
 */
public final class MultipartUpload extends OutputStream {

  private final S3Client client;
  private final String bucket;
  private final String key;
  private final byte[] part;
  private final List<CompletedPart> parts = new ArrayList<>();
  private int buffered;
  private String uploadId;
  private boolean finished;

  public MultipartUpload(S3Client client, String bucket, String key, int partBytes) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.part = new byte[partBytes];
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (finished) {
      throw new IOException("the upload of " + key + " is finished");
    }
    while (length > 0) {
      if (buffered == part.length) {
        uploadPart();
      }
      int n = Math.min(length, part.length - buffered);
      System.arraycopy(bytes, offset, part, buffered, n);
      buffered += n;
      offset += n;
      length -= n;
    }
  }

  /**
   * Uploads the last part and completes the upload only if the object's ETag is still {@code etag}.
   *
   * @return false when S3 refused it (412: the object changed; 404: it is gone); the upload is then
   *     aborted
   */
  boolean completeIfMatch(String etag) {
    return finish(etag);
  }

  /** Uploads the last part and completes the upload unconditionally. */
  public void complete() {
    finish(null);
  }

  /** Discards the uploaded parts; quiet, as it runs after another failure. */
  public void abort() {
    finished = true;
    if (uploadId == null) {
      return;
    }
    try {
      client.abortMultipartUpload(
          AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
    } catch (SdkException ignored) {
      // a bucket lifecycle rule for incomplete multipart uploads removes what is left
      // (docs/operator/s3.md)
    }
    uploadId = null;
  }

  private boolean finish(String etag) {
    if (buffered > 0 || parts.isEmpty()) {
      uploadPart();
    }
    CompleteMultipartUploadRequest.Builder request =
        CompleteMultipartUploadRequest.builder()
            .bucket(bucket)
            .key(key)
            .uploadId(uploadId)
            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
    if (etag != null) {
      request.ifMatch(etag);
    }
    try {
      client.completeMultipartUpload(request.build());
      finished = true;
      return true;
    } catch (S3Exception e) {
      abort();
      if (etag != null && (e.statusCode() == 412 || e.statusCode() == 404)) {
        return false;
      }
      throw e;
    } catch (SdkException e) {
      abort();
      throw e;
    }
  }

  private void uploadPart() {
    if (uploadId == null) {
      uploadId =
          client
              .createMultipartUpload(
                  CreateMultipartUploadRequest.builder().bucket(bucket).key(key).build())
              .uploadId();
    }
    int number = parts.size() + 1;
    String etag =
        client
            .uploadPart(
                UploadPartRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .partNumber(number)
                    .contentLength((long) buffered)
                    .build(),
                RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, buffered), buffered))
            .eTag();
    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    buffered = 0;
  }
}
