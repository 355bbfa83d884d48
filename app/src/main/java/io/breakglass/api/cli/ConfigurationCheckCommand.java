package io.breakglass.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.breakglass.api.BreakglassConfiguration;
import io.breakglass.api.WorkerConfiguration;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code check worker.yml} or {@code check api.yml}: loads and validates the file as the worker or
 * the server would, then lists its {@link ConfigurationFindings} (a missing {@code metricWatch}, a
 * secret no smoke check covers, a local secret store in production). A file with a top-level {@code
 * api} or {@code server} section is read as the API's configuration, any other as the worker's.
 * Exit codes: 0 valid and no finding; 1 the file does not load or validate; {@value #FINDINGS}
 * valid, with findings.
 */
public final class ConfigurationCheckCommand extends ConfiguredCommand<Configuration> {

  public static final int FINDINGS = 3;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final PrintStream out;

  /** The kind the file being checked was read as; set before Dropwizard parses it. */
  private Class<? extends Configuration> kind = WorkerConfiguration.class;

  public ConfigurationCheckCommand() {
    this(System.out);
  }

  /**
   * @param out where the verdict and the findings are printed
   */
  public ConfigurationCheckCommand(PrintStream out) {
    super("check", "Validates a worker or API configuration file and flags missing safeguards");
    this.out = out;
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    kind = kindOf(namespace.getString("file"));
    super.run(bootstrap, namespace);
  }

  /**
   * The API's configuration when the file has a top-level {@code api} or {@code server} section,
   * else the worker's; a file that cannot be read is left to Dropwizard to report.
   */
  static Class<? extends Configuration> kindOf(String file) {
    if (file != null) {
      try {
        JsonNode root = YAML.readTree(Files.readString(Path.of(file)));
        if (root != null && (root.has("api") || root.has("server"))) {
          return BreakglassConfiguration.class;
        }
      } catch (IOException | RuntimeException e) {
        // The parse below reports what is wrong with the file.
      }
    }
    return WorkerConfiguration.class;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Class<Configuration> getConfigurationClass() {
    return (Class<Configuration>) kind;
  }

  @Override
  protected void run(
      Bootstrap<Configuration> bootstrap, Namespace namespace, Configuration configuration)
      throws Exception {
    List<String> findings =
        configuration instanceof WorkerConfiguration worker
            ? ConfigurationFindings.ofWorker(worker)
            : ConfigurationFindings.ofApi((BreakglassConfiguration) configuration);
    String what = configuration instanceof WorkerConfiguration ? "worker" : "API";
    if (findings.isEmpty()) {
      out.println(
          (configuration instanceof WorkerConfiguration ? "Worker" : "API")
              + " configuration is OK");
      return;
    }
    findings.forEach(finding -> out.println("finding: " + finding));
    throw new CommandExit(
        FINDINGS, findings.size() + " finding(s) in the " + what + " configuration");
  }

  /** As Dropwizard's own {@code check}: the message alone, which names the failing field. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println(e.getMessage());
  }
}
