package io.breakglass.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What {@code doctor} found ({@code GET /api/doctor} and the command): the state of every
 * configured secret and data set, the rotations in flight, and everything that needs a human.
 *
 * @param secrets every configured secret's versions
 * @param dataSets items by key id per data set; empty from the API, which reads no data set
 * @param inFlight rotations whose workflow still runs
 * @param stale records that said RUNNING although their workflow had ended; closed by this check
 * @param findings one line per thing a human must look at; empty when none
 */
public record Checkup(
    List<SecretCheck> secrets,
    List<DataSetCheck> dataSets,
    List<RotationRecord> inFlight,
    List<RotationRecord> stale,
    List<String> findings) {

  /** Whether anything needs a human; in the JSON too. */
  @JsonProperty("needsAHuman")
  public boolean needsAHuman() {
    return !findings.isEmpty();
  }

  /**
   * One secret.
   *
   * @param secret its name
   * @param versions version ids by state: CURRENT, PREVIOUS, PENDING, ACTIVE (usable, no label),
   *     REVOKED, DISCARDED; each version under the first that applies
   * @param leftovers the usable versions that are neither CURRENT nor PREVIOUS, described
   */
  public record SecretCheck(
      String secret, Map<String, List<String>> versions, List<String> leftovers) {}

  /**
   * One data set.
   *
   * @param dataSet its name
   * @param secret the secret its items are encrypted under
   * @param items items by key id ({@code secret:version})
   * @param undecryptable items that decrypt under no version
   */
  public record DataSetCheck(
      String dataSet, String secret, Map<String, Long> items, long undecryptable) {}
}
