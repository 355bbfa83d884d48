package io.breakglass.api.cli;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.AdoptedVersion;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * What {@code adopt} does for each secret: finds the version the application uses now ({@link
 * AdoptedVersion}), scans every data set encrypted under the secret read-only with that version
 * alone (the data set's own read path, {@link DataSetScanner}), and, when every item decrypts and
 * it is not a dry run, records the version as Breakglass's first. A secret whose items do not all
 * decrypt is not recorded: its rotation would stop at them. Prints counts and the ids of items that
 * do not decrypt with the reason, never content.
 */
final class Adoption {

  /** Every item of every data set decrypts with its secret's adopted version. */
  static final int ADOPTED = 0;

  /** Some items do not decrypt with the adopted version; they are listed by id. */
  static final int UNDECRYPTABLE = 3;

  /**
   * A secret cannot be adopted: no version, no single candidate, or a value not in its encoding.
   */
  static final int NOT_ADOPTABLE = 4;

  private final SecretStore store;
  private final ProtectedDataSets dataSets;
  private final PrintStream out;
  private final Clock clock;

  Adoption(SecretStore store, ProtectedDataSets dataSets, PrintStream out, Clock clock) {
    this.store = store;
    this.dataSets = dataSets;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Adopts {@code secrets} in order.
   *
   * @param dryRun scan only: record nothing
   * @param maxListed items that do not decrypt listed by id per data set (all are counted)
   * @return the worst outcome: {@link #ADOPTED}, {@link #UNDECRYPTABLE} or {@link #NOT_ADOPTABLE}
   */
  int run(List<SecretConfig> secrets, boolean dryRun, int maxListed) {
    int exit = ADOPTED;
    for (SecretConfig secret : secrets) {
      exit = Math.max(exit, adopt(secret, dryRun, maxListed));
    }
    return exit;
  }

  private int adopt(SecretConfig secret, boolean dryRun, int maxListed) {
    AdoptedVersion version;
    long undecryptable = 0;
    try {
      version = AdoptedVersion.find(store, secret.name());
      out.println(
          secret.name()
              + ": version "
              + version.versionId()
              + (version.current() ? " (CURRENT)" : " (the only active version)")
              + ", encoding "
              + secret.encoding());
      KeyId keyId = new KeyId(secret.name(), version.versionId());
      for (ProtectedDataSet dataSet : dataSets.of(secret.name())) {
        undecryptable += scan(dataSet, keyId, maxListed).undecryptable();
      }
    } catch (SecretStoreException e) {
      out.println(secret.name() + ": cannot be adopted: " + e.getMessage());
      return NOT_ADOPTABLE;
    }
    if (undecryptable > 0) {
      out.println(
          secret.name()
              + ": "
              + undecryptable
              + " item(s) do not decrypt with version "
              + version.versionId()
              + "; nothing recorded");
      return UNDECRYPTABLE;
    }
    if (dryRun) {
      out.println(secret.name() + ": every item decrypts; dry run, nothing recorded");
    } else if (version.current() && version.recorded()) {
      out.println(secret.name() + ": every item decrypts; already Breakglass's, nothing to record");
    } else {
      version.record(store, clock.instant());
      out.println(
          secret.name()
              + ": every item decrypts; version "
              + version.versionId()
              + " recorded as Breakglass's first, CURRENT");
    }
    return ADOPTED;
  }

  private ScanReport scan(ProtectedDataSet dataSet, KeyId keyId, int maxListed) {
    long planned = dataSet.store().count();
    out.println("  " + dataSet.name() + ": scanning " + planned + " item(s)");
    ScanReport report =
        ProgressScan.run(
            dataSet,
            new AdoptedVersionKeyring(keyId, new StoreKeyring(store)),
            planned,
            maxListed,
            out,
            "    ");
    out.printf("    %8d decrypt with %s%n", report.itemsUnder(keyId.toString()), keyId);
    out.printf("    %8d do not%n", report.undecryptable());
    report.problems().forEach(problem -> out.println("      " + problem));
    return report;
  }
}
