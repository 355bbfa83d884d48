package io.breakglass.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build of Breakglass, as Maven stamped it into the worker's jar. */
public final class WorkerBuild {

  private static final String RESOURCE = "build.properties";

  private WorkerBuild() {}

  /**
   * The project version, e.g. {@code 0.1.0}: a worker's build id unless its configuration names
   * one.
   */
  public static String version() {
    try (InputStream in = WorkerBuild.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the worker's jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").strip();
      if (version.isEmpty() || version.startsWith("${")) {
        throw new IllegalStateException(
            RESOURCE + " carries no version: the jar was not built by Maven");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
