package io.breakglass.api.cli;

import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.data.ProtectedDataSets;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.api.WorkerConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code adopt config.yml}: takes over secrets an application already has, without rotating
 * anything (see {@link Adoption}). With {@code --dry-run} it writes nothing at all.
 *
 * <p>Exit codes: 0 every item decrypts with its secret's adopted version; 3 some do not (listed by
 * id; nothing recorded for that secret); 4 a secret cannot be adopted.
 */
public final class AdoptCommand extends ConfiguredCommand<WorkerConfiguration> {

  private final PrintStream out;

  public AdoptCommand() {
    this(System.out);
  }

  /** For tests: the report goes to {@code out}. */
  public AdoptCommand(PrintStream out) {
    super(
        "adopt",
        "Takes over existing secrets and their data sets without rotating: scans that every item"
            + " decrypts with the current version, then records it as Breakglass's first");
    this.out = out;
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser
        .addArgument("--secret")
        .dest("secrets")
        .action(Arguments.append())
        .help("adopt only this secret (repeatable; default: every configured secret)");
    subparser
        .addArgument("--dry-run")
        .dest("dryRun")
        .action(Arguments.storeTrue())
        .help("scan only: record nothing in the secret store");
    subparser
        .addArgument("--max-listed")
        .dest("maxListed")
        .type(Integer.class)
        .setDefault(50)
        .help("items that do not decrypt listed by id per data set (all are counted)");
  }

  @Override
  protected void run(
      Bootstrap<WorkerConfiguration> bootstrap,
      Namespace namespace,
      WorkerConfiguration configuration)
      throws Exception {
    List<SecretConfig> secrets = chosen(configuration, namespace.getList("secrets"));
    Map<String, ManagedDataSource> databases = Databases.open(configuration.getDatabases());
    try {
      Adoption adoption =
          new Adoption(
              SecretStores.open(configuration.getRotation()),
              new ProtectedDataSets(configuration.getRotation(), new LinkedHashMap<>(databases)),
              out,
              Clock.systemUTC());
      int exit =
          adoption.run(secrets, namespace.getBoolean("dryRun"), namespace.getInt("maxListed"));
      if (exit == Adoption.UNDECRYPTABLE) {
        throw new CommandExit(exit, "some items do not decrypt with the adopted version");
      }
      if (exit == Adoption.NOT_ADOPTABLE) {
        throw new CommandExit(exit, "a secret cannot be adopted");
      }
    } finally {
      Databases.close(databases);
    }
  }

  private static List<SecretConfig> chosen(WorkerConfiguration configuration, List<String> names)
      throws CommandExit {
    List<SecretConfig> configured = configuration.getRotation().secrets();
    if (names == null) {
      return configured;
    }
    for (String name : names) {
      if (configuration.getRotation().secret(name).isEmpty()) {
        throw new CommandExit(2, "secret " + name + " is not configured");
      }
    }
    return configured.stream().filter(s -> names.contains(s.name())).toList();
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("adopt: " + e.getMessage());
  }
}
