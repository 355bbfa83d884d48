package io.breakglass.api.cli;

import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ProtectedDataSet;
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
