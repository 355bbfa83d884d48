package io.breakglass.api.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Jetty's DEBUG log dumps the raw bytes it reads: request bodies (a pending value) and headers (a
 * bearer token). The API never lets Jetty log below INFO, whatever the logging configuration says.
 */
public final class JettyWireLog {

  private static final String JETTY = "org.eclipse.jetty";
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(JettyWireLog.class);

  private JettyWireLog() {}

  /**
   * Raises Jetty's loggers that would log DEBUG to INFO, saying so once.
   *
   * @return true when a level was raised
   */
  public static boolean keepBodiesOut() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return false;
    }
    boolean raised = false;
    Logger jetty = context.getLogger(JETTY);
    if (jetty.isDebugEnabled()) {
      jetty.setLevel(Level.INFO);
      raised = true;
    }
    for (Logger logger : context.getLoggerList()) {
      if (logger.getName().startsWith(JETTY + ".")
          && logger.getLevel() != null
          && logger.isDebugEnabled()) {
        logger.setLevel(Level.INFO);
        raised = true;
      }
    }
    if (raised) {
      log.warn(
          "Jetty's DEBUG log would write request bodies and Authorization headers; {} logs at INFO",
          JETTY);
    }
    return raised;
  }
}
