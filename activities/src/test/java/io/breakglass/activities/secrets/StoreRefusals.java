package io.breakglass.activities.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.breakglass.workflows.RotationErrors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on a secret store's refusals, shared by the tests of every store. */
public final class StoreRefusals {

  private StoreRefusals() {}

  /** The store refusal {@code call} throws. */
  public static SecretStoreException refused(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(SecretStoreException.class);
    return (SecretStoreException) thrown;
  }

  /** {@code call} fails with VERSION_NOT_FOUND naming {@code named}. */
  public static void assertNotFound(ThrowingCallable call, String named) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SecretStoreException.class,
            e -> assertThat(e.error()).isEqualTo(RotationErrors.VERSION_NOT_FOUND))
        .hasMessageContaining(named);
  }
}
