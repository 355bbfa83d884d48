package io.breakglass.worker.embedded;

import io.breakglass.worker.RequiredSearchAttributes;
import io.breakglass.workflows.RotationSearchAttributes;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;

/**
 * Registers {@link RotationSearchAttributes} in a local server's namespace: a rotation's first
 * upsert fails its workflow task on a server that does not know them.
 */
final class SearchAttributeRegistration {

  private SearchAttributeRegistration() {}

  /**
   * Adds the attributes {@code namespace} on {@code target} lacks; refuses one registered under
   * another type. The test server cannot list attributes: there every one is added.
   */
  static void ensure(String target, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(target)
                .validateAndBuildWithDefaults());
    try {
      RequiredSearchAttributes.ensure(operator, target, namespace, true);
    } finally {
      operator.shutdownNow();
    }
  }
}
