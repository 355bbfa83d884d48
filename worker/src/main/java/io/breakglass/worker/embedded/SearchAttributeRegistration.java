package io.breakglass.worker.embedded;

import io.breakglass.workflows.RotationSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers {@link RotationSearchAttributes} in a local server's namespace: a rotation's first
 * upsert fails its workflow task on a server that does not know them.
 */
final class SearchAttributeRegistration {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  private SearchAttributeRegistration() {}

  /**
   * Adds the attributes {@code namespace} on {@code target} lacks; refuses one registered under
   * another type. The test server cannot list attributes: there every one is added.
   */
  static void ensure(String target, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder().setTarget(target).validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> missing = new LinkedHashMap<>();
      Map<String, IndexedValueType> registered = registered(operator, namespace);
      for (SearchAttributeKey<?> key : RotationSearchAttributes.ALL) {
        IndexedValueType type = registered.get(key.getName());
        if (type == null) {
          missing.put(key.getName(), key.getValueType());
        } else if (type != key.getValueType()) {
          throw new IllegalStateException(
              "search attribute " + key.getName() + " is registered on " + target + " as " + type
                  + "; Breakglass needs " + key.getValueType());
        }
      }
      if (!missing.isEmpty()) {
        operator.blockingStub()
            .addSearchAttributes(
                AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace)
                    .putAllSearchAttributes(missing)
                    .build());
        log.debug("registered search attributes {} on {}", missing.keySet(), target);
      }
    } finally {
      operator.shutdownNow();
    }
  }

  private static Map<String, IndexedValueType> registered(OperatorServiceStubs operator, String namespace) {
    try {
      return operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Map.of();
      }
      throw e;
    }
  }
}
