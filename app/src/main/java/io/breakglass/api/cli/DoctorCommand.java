package io.breakglass.api.cli;

import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.data.ProtectedDataSet;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.api.WorkerConfiguration;
import io.breakglass.api.core.Doctor;
import io.breakglass.api.core.RotationRecordReconciler;
import io.breakglass.api.logging.LogText;
import io.breakglass.api.wire.Checkup;
import io.breakglass.api.wire.Checkup.DataSetCheck;
import io.breakglass.api.wire.Checkup.SecretCheck;
import io.breakglass.api.wire.RotationRecord;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.workflows.activities.VerificationActivities.ScanReport;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code doctor config.yml}: what an interrupted rotation may have left behind, for the worker's
 * configuration. For every configured secret its versions by state and its leftovers (usable but
 * neither CURRENT nor PREVIOUS); for every data set its items by key id (a verify-only scan); the
 * rotations in flight; and the records that still said RUNNING although their workflow had ended,
 * which it closes as the API's sweep would. Writes nothing else.
 *
 * <p>Exit codes: 0 nothing needs a human; {@value #NEEDS_A_HUMAN} something does (each finding is
 * printed); 1 the check itself failed (a store or Temporal unreachable at the start).
 */
public final class DoctorCommand extends ConfiguredCommand<WorkerConfiguration> {

  static final int NEEDS_A_HUMAN = 3;

  private final PrintStream out;

  public DoctorCommand() {
    this(System.out);
  }

  /** Prints to {@code out} (tests); progress of a {@code --json} run goes to standard error. */
  DoctorCommand(PrintStream out) {
    super(
        "doctor",
        "Finds what interrupted rotations left behind: leftover versions, stale records, items"
            + " under old keys; exits 3 when a human is needed");
    this.out = out;
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--no-scan")
        .dest("noScan")
        .action(Arguments.storeTrue())
        .help("skip the data set scans (secrets and records only)");
    subparser
        .addArgument("--json")
        .dest("json")
        .action(Arguments.storeTrue())
        .help("print the findings as one JSON document instead of text");
  }

  @Override
  protected void run(
      Bootstrap<WorkerConfiguration> bootstrap,
      Namespace namespace,
      WorkerConfiguration configuration)
      throws Exception {
    if (configuration.getTemporal().target() == null) {
      throw new IllegalArgumentException("temporal.target is required (host:port of Temporal)");
    }
    boolean json = namespace.getBoolean("json");
    // With --json, only the document goes to standard output; progress goes to standard error.
    PrintStream progress = json ? System.err : out;
    Map<String, ManagedDataSource> databases = Databases.open(configuration.getDatabases());
    try (TemporalConnection temporal = TemporalConnection.open(configuration.getTemporal())) {
      DataSource own = Databases.own(databases, "rotation records");
      SecretStore store = SecretStores.open(configuration.getRotation());
      RotationHistory history = new RotationHistory(Jdbi.create(own));
      Doctor doctor =
          new Doctor(
              store,
              configuration.getRotation().secrets().stream().map(SecretConfig::name).toList(),
              new RotationRecordReconciler(temporal.client(), history, Clock.systemUTC()));
      List<DataSetCheck> dataSets =
          namespace.getBoolean("noScan")
              ? List.of()
              : scan(configuration, databases, store, progress);
      Checkup checkup = doctor.check(dataSets);
      if (json) {
        out.println(bootstrap.getObjectMapper().writeValueAsString(checkup));
      } else {
        print(checkup, out);
      }
      if (checkup.needsAHuman()) {
        throw new CommandExit(
            NEEDS_A_HUMAN, checkup.findings().size() + " finding(s) need a human");
      }
    } finally {
      Databases.close(databases);
    }
  }

  private static List<DataSetCheck> scan(
      WorkerConfiguration configuration,
      Map<String, ManagedDataSource> databases,
      SecretStore store,
      PrintStream progress) {
    ProtectedDataSets dataSets =
        new ProtectedDataSets(configuration.getRotation(), new LinkedHashMap<>(databases));
    List<DataSetCheck> checks = new ArrayList<>();
    for (DataSetConfig config : configuration.getRotation().dataSets()) {
      ProtectedDataSet dataSet = dataSets.get(config.name());
      ScanReport report = ProgressScan.announced(dataSet, store, 0, progress);
      checks.add(
          new DataSetCheck(
              dataSet.name(), dataSet.secret(), report.itemsByKeyId(), report.undecryptable()));
    }
    return checks;
  }

  private static void print(Checkup checkup, PrintStream out) {
    for (SecretCheck secret : checkup.secrets()) {
      out.println("secret " + secret.secret());
      secret
          .versions()
          .forEach(
              (state, ids) ->
                  out.printf("  %-9s %s%n", state, LogText.oneLine(String.join(", ", ids))));
      secret.leftovers().forEach(l -> out.println("  leftover  " + LogText.oneLine(l)));
    }
    for (DataSetCheck dataSet : checkup.dataSets()) {
      out.println("data set " + dataSet.dataSet() + " (" + dataSet.secret() + ")");
      dataSet.items().forEach((kid, n) -> out.printf("  %10d under %s%n", n, LogText.oneLine(kid)));
      out.printf("  %10d undecryptable%n", dataSet.undecryptable());
    }
    out.println("rotations in flight: " + (checkup.inFlight().isEmpty() ? "none" : ""));
    checkup.inFlight().forEach(r -> out.println("  " + describe(r)));
    out.println("stale records: " + (checkup.stale().isEmpty() ? "none" : ""));
    checkup.stale().forEach(r -> out.println("  " + describe(r)));
    if (checkup.needsAHuman()) {
      out.println("needs a human:");
      checkup.findings().forEach(f -> out.println("  - " + LogText.oneLine(f)));
    } else {
      out.println("nothing needs a human");
    }
  }

  private static String describe(RotationRecord record) {
    return LogText.oneLine(
        record.rotationId()
            + " "
            + record.kind()
            + " of "
            + record.secrets()
            + ", started "
            + record.startedAt()
            + (record.endedAt() == null
                ? ""
                : ", now " + record.state() + " at " + record.endedAt()));
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("doctor: " + e.getMessage());
  }
}
