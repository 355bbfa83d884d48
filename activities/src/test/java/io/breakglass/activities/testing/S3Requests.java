package io.breakglass.activities.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every S3 operation a client sends, by its API name and by the IAM action that authorizes
 * it (the Service Authorization Reference's mapping), with the bucket and key it named.
 */
public final class S3Requests implements ExecutionInterceptor {

  /** IAM action per S3 API operation: several operations share one action. */
  private static final Map<String, String> ACTIONS =
      Map.ofEntries(
          Map.entry("ListObjectsV2", "s3:ListBucket"),
          Map.entry("GetObject", "s3:GetObject"),
          Map.entry("HeadObject", "s3:GetObject"),
          Map.entry("PutObject", "s3:PutObject"),
          Map.entry("CreateMultipartUpload", "s3:PutObject"),
          Map.entry("UploadPart", "s3:PutObject"),
          Map.entry("CompleteMultipartUpload", "s3:PutObject"),
          Map.entry("AbortMultipartUpload", "s3:AbortMultipartUpload"),
          Map.entry("DeleteObject", "s3:DeleteObject"));

  /**
   * One request.
   *
   * @param operation the API operation, e.g. {@code UploadPart}
   * @param bucket the bucket it named
   * @param key the object key it named, or the prefix of a listing
   */
  public record Request(String operation, String bucket, String key) {}

  /** Every request of every S3 client in this JVM, recorded by {@link Everywhere}. */
  public static final S3Requests ALL = new S3Requests();

  private static final ExecutionAttribute<Boolean> FIXTURE =
      new ExecutionAttribute<>("BreakglassTestFixture");

  /**
   * Registered for every client the SDK builds (test resource {@code
   * software/amazon/awssdk/global/handlers/execution.interceptors}), so the clients the adapters
   * build for themselves are recorded too; requests of clients marked {@link Fixture} are not. It
   * records after every {@code beforeExecution} hook has run, the marker's included.
   */
  public static final class Everywhere implements ExecutionInterceptor {
    @Override
    public void beforeMarshalling(
        Context.BeforeMarshalling context, ExecutionAttributes attributes) {
      if (attributes.getAttribute(FIXTURE) == null) {
        ALL.record(context.request(), attributes);
      }
    }
  }

  /** Marks the requests of a test's own clients (seeding, inspecting) as not the adapters'. */
  public static final class Fixture implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      attributes.putAttribute(FIXTURE, true);
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    record(context.request(), attributes);
  }

  private void record(SdkRequest request, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String bucket = request.getValueForField("Bucket", String.class).orElse(null);
    String key =
        request
            .getValueForField("Key", String.class)
            .or(() -> request.getValueForField("Prefix", String.class))
            .orElse(null);
    requests.add(new Request(operation, bucket, key));
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public long count(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).count();
  }

  /** The IAM actions of every recorded request; fails on an operation without a known mapping. */
  public Set<String> actions() {
    Set<String> actions = new TreeSet<>();
    for (Request request : requests) {
      actions.add(action(request));
    }
    return actions;
  }

  /** The IAM action that authorizes {@code request}. */
  public static String action(Request request) {
    String action = ACTIONS.get(request.operation());
    if (action == null) {
      throw new AssertionError("no IAM action is known for S3 operation " + request.operation());
    }
    return action;
  }

  public void clear() {
    requests.clear();
  }
}
