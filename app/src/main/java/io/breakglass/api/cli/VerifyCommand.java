package io.breakglass.api.cli;

import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.api.WorkerConfiguration;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code verify config.yml}: the verify-only scan an operator can run at any time. Reads every item
 * of the configured data sets, decrypts it, and reports how many are under each key id (with the
 * version's labels) and which do not decrypt (id and reason, never content). Writes nothing.
 *
 * <p>Exit codes: 0 every item decrypts (and, with {@code --expect-current}, is under its secret's
 * CURRENT version); 2 items under another version with {@code --expect-current}; 3 undecryptable
 * items.
 */
public final class VerifyCommand extends ConfiguredCommand<WorkerConfiguration> {

  static final int UNDER_OTHER_VERSIONS = 2;
  static final int UNDECRYPTABLE = 3;

  public VerifyCommand() {
    super(
        "verify",
        "Scans every protected item and reports key ids and undecryptable items (writes nothing)");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--data-set")
        .dest("dataSets")
        .action(Arguments.append())
        .help("scan only this data set (repeatable; default: all)");
    subparser
        .addArgument("--max-listed")
        .dest("maxListed")
        .type(Integer.class)
        .setDefault(50)
        .help("undecryptable items listed by id per data set (all are counted)");
    subparser
        .addArgument("--expect-current")
        .dest("expectCurrent")
        .action(Arguments.storeTrue())
        .help("also fail (exit 2) when an item is not under its secret's CURRENT version");
  }

  @Override
  protected void run(
      Bootstrap<WorkerConfiguration> bootstrap,
      Namespace namespace,
      WorkerConfiguration configuration)
      throws Exception {
    PrintStream out = System.out;
    Map<String, ManagedDataSource> databases = Databases.open(configuration.getDatabases());
    try {
      SecretStore store = SecretStores.open(configuration.getRotation());
      ProtectedDataSets dataSets =
          new ProtectedDataSets(configuration.getRotation(), new LinkedHashMap<>(databases));
      List<String> names = namespace.getList("dataSets");
      long undecryptable = 0;
      long underOthers = 0;
      for (DataSetConfig config : configuration.getRotation().dataSets()) {
        if (names != null && !names.contains(config.name())) {
          continue;
        }
        ProtectedDataSet dataSet = dataSets.get(config.name());
        ScanReport report = scan(dataSet, store, namespace.getInt("maxListed"), out);
        undecryptable += report.undecryptable();
        underOthers +=
            report.items() - report.undecryptable() - report.itemsUnder(current(store, dataSet));
      }
      if (undecryptable > 0) {
        throw new CommandExit(UNDECRYPTABLE, undecryptable + " undecryptable item(s)");
      }
      if (namespace.getBoolean("expectCurrent") && underOthers > 0) {
        throw new CommandExit(
            UNDER_OTHER_VERSIONS, underOthers + " item(s) not under the CURRENT version");
      }
      out.println("every item decrypts");
    } finally {
      Databases.close(databases);
    }
  }

  private static ScanReport scan(
      ProtectedDataSet dataSet, SecretStore store, int maxListed, PrintStream out) {
    ScanReport report = ProgressScan.announced(dataSet, store, maxListed, out);
    Map<String, String> labels = labels(store, dataSet.secret());
    report
        .itemsByKeyId()
        .forEach(
            (kid, count) ->
                out.printf(
                    "  %8d under %s %s%n",
                    count, kid, labels.getOrDefault(kid, "(not in the store)")));
    out.printf("  %8d undecryptable%n", report.undecryptable());
    report.problems().forEach(problem -> out.println("    " + problem));
    return report;
  }

  /** "CURRENT", "PREVIOUS, REVOKED", ... per key id of {@code secret}. */
  private static Map<String, String> labels(SecretStore store, String secret) {
    return store.describe(secret).versions().stream()
        .collect(
            Collectors.toMap(
                v -> secret + ":" + v.versionId(),
                VerifyCommand::describe,
                (a, b) -> a,
                LinkedHashMap::new));
  }

  private static String describe(SecretVersion version) {
    String labels =
        version.labels().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
    return "(" + (labels.isEmpty() ? "no label" : labels) + ", " + version.status() + ")";
  }

  private static String current(SecretStore store, ProtectedDataSet dataSet) {
    return store
        .describe(dataSet.secret())
        .labelled(Label.CURRENT)
        .map(v -> dataSet.secret() + ":" + v.versionId())
        .orElse("");
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("verify: " + e.getMessage());
  }
}
