package io.breakglass.worker.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.workflows.VersionIds;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import java.util.List;
import java.util.Map;

/** The outcome every rollback must reach: store, keyring and data back on the old versions. */
final class OldVersions {

  private OldVersions() {}

  static void assertRestored(
      Testbed testbed, String rotationId, List<String> secrets, Map<String, String> plaintextBefore)
      throws Exception {
    assertStoreAndKeyringRestored(testbed, rotationId, secrets);
    ScanReport snapshots = testbed.scan(Testbed.SNAPSHOTS);
    ScanReport artifacts = testbed.scan(Testbed.ARTIFACTS);
    assertThat(snapshots.undecryptable()).isZero();
    assertThat(artifacts.undecryptable()).isZero();
    assertThat(snapshots.itemsUnder(testbed.currentKey(Testbed.PAYLOAD_KEY).toString()))
        .isEqualTo(Testbed.ROWS);
    assertThat(artifacts.itemsUnder(testbed.currentKey(Testbed.ARTIFACT_KEY).toString()))
        .isEqualTo(Testbed.FILES);
    assertThat(testbed.plaintextDigests()).isEqualTo(plaintextBefore);
  }

  /**
   * The same outcome for a rotation rolled back while the service kept writing: every item, those
   * written meanwhile too, under the old versions, and each item of {@code itemsBefore} ({@link
   * Testbed#plaintextDigestsOfEach()}) still there with its plaintext.
   */
  static void assertRestoredUnderWrites(
      Testbed testbed, String rotationId, List<String> secrets, Map<String, String> itemsBefore)
      throws Exception {
    assertStoreAndKeyringRestored(testbed, rotationId, secrets);
    Map<String, String> dataKeys =
        Map.of(Testbed.SNAPSHOTS, Testbed.PAYLOAD_KEY, Testbed.ARTIFACTS, Testbed.ARTIFACT_KEY);
    for (Map.Entry<String, String> dataKey : dataKeys.entrySet()) {
      ScanReport scan = testbed.scan(dataKey.getKey());
      String key = testbed.currentKey(dataKey.getValue()).toString();
      assertThat(scan.undecryptable()).as(scan.dataSet() + " undecryptable").isZero();
      assertThat(scan.itemsUnder(key)).as(scan.dataSet() + " under " + key).isEqualTo(scan.items());
    }
    assertThat(testbed.plaintextDigestsOfEach()).containsAllEntriesOf(itemsBefore);
  }

  private static void assertStoreAndKeyringRestored(
      Testbed testbed, String rotationId, List<String> secrets) throws Exception {
    for (String secret : secrets) {
      String old = testbed.initialVersion(secret);
      String fresh = VersionIds.forRotation(rotationId, secret);
      assertThat(testbed.current(secret).versionId()).as(secret + " CURRENT").isEqualTo(old);
      testbed
          .state(secret)
          .version(fresh)
          .ifPresent(
              v -> {
                assertThat(v.status())
                    .as(secret + " new version")
                    .isEqualTo(VersionStatus.DISCARDED);
                assertThat(v.labels()).as(secret + " new version labels").isEmpty();
              });
      assertThat(testbed.state(secret).labelled(Label.PENDING)).as(secret + " PENDING").isEmpty();
      String keyring = testbed.keyringFile();
      if (!keyring.isEmpty()) {
        JsonNode entry = new ObjectMapper().readTree(keyring).path("secrets").path(secret);
        if (!entry.isMissingNode()) {
          assertThat(entry.path("primary").asText()).as(secret + " keyring primary").isEqualTo(old);
          assertThat(entry.path("decryptOnly").toString())
              .as(secret + " keyring")
              .doesNotContain(fresh);
        }
      }
    }
  }
}
