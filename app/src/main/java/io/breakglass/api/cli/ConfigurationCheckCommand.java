package io.breakglass.api.cli;

import io.breakglass.api.BreakglassConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code check config.yml}: loads and validates the file as the worker and the server do, then
 * lists its {@link ConfigurationFindings} (a missing {@code metricWatch}, a secret no smoke check
 * covers). Exit codes: 0 valid and no finding; 1 the file does not load or validate; {@value
 * #FINDINGS} valid, with findings.
 */
public final class ConfigurationCheckCommand extends CheckCommand<BreakglassConfiguration> {

  public static final int FINDINGS = 3;

  private final PrintStream out;

  public ConfigurationCheckCommand(Application<BreakglassConfiguration> application) {
    this(application, System.out);
  }

  /**
   * @param out where the verdict and the findings are printed
   */
  public ConfigurationCheckCommand(
      Application<BreakglassConfiguration> application, PrintStream out) {
    super(application);
    this.out = out;
  }

  @Override
  protected void run(
      Bootstrap<BreakglassConfiguration> bootstrap,
      Namespace namespace,
      BreakglassConfiguration configuration)
      throws Exception {
    List<String> findings = ConfigurationFindings.of(configuration.getRotation());
    if (findings.isEmpty()) {
      out.println("Configuration is OK");
      return;
    }
    findings.forEach(finding -> out.println("finding: " + finding));
    throw new CommandExit(FINDINGS, findings.size() + " finding(s) in the configuration");
  }
}
