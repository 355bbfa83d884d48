package io.breakglass.api.console;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.assets.AssetServlet;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The web console at {@value #PATH}: one page, plain JavaScript and CSS from the jar, no build step
 * and nothing from another origin. The files hold no data, so they are served without credentials;
 * every call they make to {@code /api} carries the operator's bearer token.
 */
public final class ConsoleAssets {

  public static final String PATH = "/console";

  private ConsoleAssets() {}

  public static void register(Environment environment) {
    environment
        .servlets()
        .addServlet(
            "console", new AssetServlet(PATH, PATH + "/", "index.html", StandardCharsets.UTF_8))
        .addMapping(PATH + "/*");
    environment
        .servlets()
        .addFilter("console-headers", new ConsoleHeaders())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, PATH + "/*");
  }
}
