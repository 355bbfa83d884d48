package io.breakglass.workflows.activities;

import io.breakglass.workflows.messages.values.NewVersion;
import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.Map;

/** VERIFY_DATA, the dry-run scan of the contingency path, and SMOKE_TEST. */
@ActivityInterface
public interface VerificationActivities {

  /**
   * Reads every item of a data set and reports how many are under each key id and which do not
   * decrypt (id and reason, never content). Writes nothing. Heartbeats while it scans.
   */
  ScanReport scan(ScanRequest request);

  /**
   * The storage-level canary: encrypts and decrypts a canary under each new version through the
   * secret store and keyring, and checks that the data sets' most recent items carry envelopes
   * under the new key id; then runs the configured HTTP checks (health, upload-and-read through the
   * service), one result each. Writes nothing to the data sets itself.
   */
  SmokeReport smokeTest(SmokeTestRequest request);

  /**
   * After REVOKE (once the deployments run the keyrings without the old versions): the service must
   * refuse what only a revoked version can sign. Every configured check that sends a token ({@code
   * jwt}) of a secret in {@code request.versions()} is sent again with a token signed by that
   * secret's replaced version, and passes only when the service refuses it (401 unless configured
   * otherwise). A rotated signing secret that no such check covers gets a result saying that it was
   * not checked, and why. Never reports a token or material. Writes nothing itself.
   */
  SmokeReport refusalCheck(SmokeTestRequest request);

  /**
   * @param rotationId the rotation
   * @param dataSet the data set
   * @param maxListed how many problem items to list by id at most
   */
  record ScanRequest(String rotationId, String dataSet, int maxListed) {}

  /**
   * @param dataSet the data set
   * @param items items read
   * @param itemsByKeyId items that decrypt, per key id
   * @param undecryptable items that do not decrypt (malformed, unknown key id, failed
   *     authentication); {@code items} is their count plus the sum of {@code itemsByKeyId}
   * @param problems up to {@code maxListed} problem items as "id: reason"
   */
  record ScanReport(
      String dataSet,
      long items,
      Map<String, Long> itemsByKeyId,
      long undecryptable,
      List<String> problems) {

    /** Items under {@code keyId}. */
    public long itemsUnder(String keyId) {
      return itemsByKeyId.getOrDefault(keyId, 0L);
    }
  }

  /**
   * @param rotationId the rotation
   * @param versions the versions the rotation made
   * @param dataSets the data sets to sample
   */
  record SmokeTestRequest(String rotationId, List<NewVersion> versions, List<String> dataSets) {}

  /**
   * @param name what was checked
   * @param passed whether it held
   * @param detail ids and counts
   */
  record CheckResult(String name, boolean passed, String detail) {}

  /**
   * @param checks every check that ran
   */
  record SmokeReport(List<CheckResult> checks) {

    /** True when every check passed. */
    public boolean passed() {
      return checks.stream().allMatch(CheckResult::passed);
    }
  }
}
