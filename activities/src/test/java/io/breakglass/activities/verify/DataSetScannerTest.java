package io.breakglass.activities.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.PostgresColumnStore;
import io.breakglass.activities.testing.MapKeyring;
import io.breakglass.activities.testing.SnapshotTable;
import io.breakglass.activities.testing.TestPostgres;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSetScannerTest {

  private final MapKeyring keyring = new MapKeyring();
  private final KeyId v1 = keyring.add("ai-payload-encryption-key", "v1");
  private final KeyId v2 = keyring.add("ai-payload-encryption-key", "v2");

  @Test
  void aScan_countsItemsPerKeyAndListsUndecryptableOnesByIdOnly_writingNothing() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    SnapshotTable table = new SnapshotTable(database, keyring);
    table.seed(30, v1);
    table.applicationWrite(3, 1, v2);
    table.storeRaw(5, table.raw().get(6L));
    table.storeRaw(
        7,
        "{\"v\": 1, \"kid\": \"ai-payload-encryption-key:gone\", \"alg\": \"AES-256-GCM\","
            + " \"nonce\": \"AAAAAAAAAAAAAAAA\", \"ciphertext\": \"AAAAAAAAAAAAAAAAAAAAAA==\"}");
    Map<Long, String> before = table.raw();
    PostgresColumnStore store =
        PostgresColumnStore.create(table.config(v1.secret(), 10, 10), database.dataSource());

    ScanReport report =
        new DataSetScanner("ai-snapshots", store, new JsonEnvelopeCodec(), keyring)
            .scan(10, n -> {});

    assertThat(report.items()).isEqualTo(30);
    assertThat(report.itemsUnder(v1.toString())).isEqualTo(27);
    assertThat(report.itemsUnder(v2.toString())).isEqualTo(1);
    assertThat(report.undecryptable()).isEqualTo(2);
    assertThat(report.problems()).containsExactly("5: AUTHENTICATION_FAILED", "7: UNKNOWN_KEY_ID");
    assertThat(table.raw()).isEqualTo(before);
  }
}
