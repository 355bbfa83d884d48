package io.breakglass.activities.config;

import io.breakglass.workflows.messages.values.SecretKind;
import java.util.List;

/** Load-time rules of the smoke checks: a typo in a secret's name must not leave it uncovered. */
final class SmokeChecks {

  private SmokeChecks() {}

  /**
   * @throws IllegalArgumentException naming the check and the secret when a check names a secret
   *     that is not configured, or signs its token with a secret that is not a SIGNING_SECRET
   */
  static void requireConfiguredSecrets(List<HttpCheckConfig> checks, List<SecretConfig> secrets) {
    for (HttpCheckConfig check : checks) {
      for (String named : check.coveredSecrets()) {
        if (secrets.stream().noneMatch(s -> s.name().equals(named))) {
          throw new IllegalArgumentException(
              "smokeChecks: check '"
                  + check.name()
                  + "' names secret "
                  + named
                  + ", which is not configured");
        }
      }
      if (check.jwt() != null
          && secrets.stream()
              .noneMatch(
                  s ->
                      s.name().equals(check.jwt().secret())
                          && s.kind() == SecretKind.SIGNING_SECRET)) {
        throw new IllegalArgumentException(
            "smokeChecks: check '"
                + check.name()
                + "' signs its token with "
                + check.jwt().secret()
                + ", which is not a SIGNING_SECRET");
      }
    }
  }
}
