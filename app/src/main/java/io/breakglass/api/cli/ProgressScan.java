package io.breakglass.api.cli;

import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.StoreKeyring;
import io.breakglass.activities.verify.DataSetScanner;
import io.breakglass.worker.ProgressBar;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import java.io.PrintStream;

/**
 * The verify-only scan of one data set for a command: every item read and decrypted with {@code
 * keyring}, nothing written, with a progress bar printed at every tenth of the {@code planned}
 * items.
 */
final class ProgressScan {

  private ProgressScan() {}

  /**
   * Scans {@code dataSet} with the store's keys, after a line naming it, its secret and how many
   * items it holds; its progress bars are indented by two spaces.
   */
  static ScanReport announced(
      ProtectedDataSet dataSet, SecretStore store, int maxListed, PrintStream out) {
    long planned = dataSet.store().count();
    out.println(dataSet.name() + " (" + dataSet.secret() + "): scanning " + planned + " item(s)");
    return run(dataSet, new StoreKeyring(store), planned, maxListed, out, "  ");
  }

  /**
   * Scans {@code dataSet}, listing at most {@code maxListed} problem items by id; each progress bar
   * is a line of {@code out} starting with {@code indent}.
   */
  static ScanReport run(
      ProtectedDataSet dataSet,
      Keyring keyring,
      long planned,
      int maxListed,
      PrintStream out,
      String indent) {
    long[] shown = {0};
    return new DataSetScanner(dataSet.name(), dataSet.store(), dataSet.codec(), keyring)
        .scan(
            maxListed,
            done -> {
              if (done - shown[0] >= Math.max(1, planned / 10) || done == planned) {
                shown[0] = done;
                out.println(indent + ProgressBar.render(done, planned));
              }
            });
  }
}
