package io.breakglass.activities.config;

/**
 * A secret's exception to the smoke-test rule. Every secret a rotation rotates needs at least one
 * configured smoke check that covers it ({@link HttpCheckConfig#coveredSecrets()}): PLAN refuses
 * the rotation otherwise. {@code allowNoChecks} with a reason lets the secret rotate without one,
 * and every smoke test of it then reports "no smoke check configured for it: allowed by
 * configuration (reason)".
 *
 * @param allowNoChecks rotate the secret even though no smoke check covers it
 * @param reason why that is acceptable; required with {@code allowNoChecks}, shown in the report
 */
public record SecretSmokeConfig(boolean allowNoChecks, String reason) {

  public SecretSmokeConfig {
    if (allowNoChecks && (reason == null || reason.isBlank())) {
      throw new IllegalArgumentException("smoke.allowNoChecks needs a reason");
    }
  }

  /** Allows the secret to rotate without a smoke check, for {@code reason}. */
  public static SecretSmokeConfig allowNoChecks(String reason) {
    return new SecretSmokeConfig(true, reason);
  }
}
