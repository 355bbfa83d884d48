package io.breakglass.worker;

import io.breakglass.workflows.RotationSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a namespace knows the {@link RotationSearchAttributes} before a worker runs rotations
 * there: a rotation's first upsert of an unknown attribute fails its workflow task, and the task
 * retries until someone registers it. A worker allowed to register them adds the missing ones;
 * otherwise it refuses to start with a {@link MissingSearchAttributesException}. An attribute
 * registered under another type is refused either way: Temporal cannot change a type in place.
 *
 * <p>A server that cannot list attributes (the Temporal test server) or does not let this worker
 * list them cannot be checked: a registering worker adds every attribute, the others start with a
 * warning. A server that does not answer yet is asked again, as the worker's polls would be.
 */
public final class RequiredSearchAttributes {

  private static final Logger log = LoggerFactory.getLogger(RequiredSearchAttributes.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private RequiredSearchAttributes() {}

  /**
   * Checks the configured namespace, over the configured connection (TLS, API key), and adds the
   * missing attributes when {@link TemporalConfig#registerSearchAttributes()} allows it.
   *
   * @throws MissingSearchAttributesException when attributes are missing and the worker may not add
   *     them
   * @throws IllegalStateException when an attribute is registered under another type
   */
  public static void ensure(TemporalConfig config) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder(
                    TemporalConnection.stubsOptions(config, System::getenv, null))
                .validateAndBuildWithDefaults());
    try {
      ensure(operator, config.target(), config.namespace(), config.registerSearchAttributes());
    } finally {
      operator.shutdownNow();
    }
  }

  /**
   * {@link #ensure(TemporalConfig)} on an operator channel of the caller's to {@code target}
   * ({@code host:port}, as the refusal's command names it).
   *
   * @param register add the missing attributes instead of refusing
   */
  public static void ensure(
      OperatorServiceStubs operator, String target, String namespace, boolean register) {
    Optional<Map<String, IndexedValueType>> registered = registered(operator, namespace, target);
    List<SearchAttributeKey<?>> missing = new ArrayList<>();
    for (SearchAttributeKey<?> key : RotationSearchAttributes.ALL) {
      IndexedValueType type = registered.map(r -> r.get(key.getName())).orElse(null);
      if (type == null) {
        missing.add(key);
      } else if (type != key.getValueType()) {
        throw new IllegalStateException(
            "search attribute "
                + key.getName()
                + " is registered in namespace "
                + namespace
                + " on "
                + target
                + " as "
                + type
                + "; Breakglass needs "
                + key.getValueType()
                + " (remove it with temporal operator search-attribute delete, then start the worker again)");
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<String> names = missing.stream().map(SearchAttributeKey::getName).toList();
    if (register) {
      Map<String, IndexedValueType> types = new LinkedHashMap<>();
      missing.forEach(key -> types.put(key.getName(), key.getValueType()));
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putAllSearchAttributes(types)
                  .build());
      log.info("registered search attributes {} in namespace {} on {}", names, namespace, target);
    } else if (registered.isEmpty()) {
      log.warn(
          "cannot list the search attributes of namespace {} on {}: make sure {} are registered, or"
              + " rotations' workflow tasks fail",
          namespace,
          target,
          names);
    } else {
      throw new MissingSearchAttributesException(refusal(target, namespace, missing), names);
    }
  }

  /**
   * The attributes {@code namespace} has, or empty when the server cannot say: the Temporal test
   * server has no such call, and a namespace user may not be allowed to make it.
   */
  private static Optional<Map<String, IndexedValueType>> registered(
      OperatorServiceStubs operator, String namespace, String target) {
    Duration backoff = Duration.ofMillis(200);
    while (true) {
      try {
        return Optional.of(
            operator
                .blockingStub()
                .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .listSearchAttributes(
                    ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
                .getCustomAttributesMap());
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNIMPLEMENTED || code == Status.Code.PERMISSION_DENIED) {
          log.debug("listing search attributes on {}: {}", target, e.getStatus());
          return Optional.empty();
        }
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
        log.warn(
            "Temporal at {} does not answer yet ({}); asking again in {}", target, code, backoff);
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Temporal", e);
    }
  }

  private static String refusal(
      String target, String namespace, List<SearchAttributeKey<?>> missing) {
    String arguments =
        missing.stream()
            .map(
                key ->
                    "--name " + key.getName() + " --type " + RotationSearchAttributes.cliType(key))
            .collect(Collectors.joining(" "));
    return "namespace "
        + namespace
        + " on "
        + target
        + " lacks the search attributes "
        + missing.stream().map(SearchAttributeKey::getName).collect(Collectors.joining(", "))
        + " that rotations set (their workflow tasks would fail); add them with: temporal operator"
        + " search-attribute create --address "
        + target
        + " --namespace "
        + namespace
        + " "
        + arguments
        + " (or set temporal.registerSearchAttributes: true to let the worker add them)";
  }
}
