package io.breakglass.workflows;

import io.temporal.workflow.Workflow;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * The logger of workflow code: {@link Workflow#getLogger}'s replay-safe logger (it writes nothing
 * while a workflow task replays history) that first brings the rotation id and phase in the MDC up
 * to date ({@link LogContext}), so each line carries the phase the workflow is in as it is written.
 */
public final class ContextLogger extends LegacyAbstractLogger {

  private static final long serialVersionUID = 1L;

  private final transient Logger delegate;

  private ContextLogger(Logger delegate) {
    this.delegate = delegate;
    this.name = delegate.getName();
  }

  /** The logger workflow code of {@code type} writes through. */
  public static Logger of(Class<?> type) {
    return new ContextLogger(Workflow.getLogger(type));
  }

  @Override
  public boolean isTraceEnabled() {
    return delegate.isTraceEnabled();
  }

  @Override
  public boolean isDebugEnabled() {
    return delegate.isDebugEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return delegate.isInfoEnabled();
  }

  @Override
  public boolean isWarnEnabled() {
    return delegate.isWarnEnabled();
  }

  @Override
  public boolean isErrorEnabled() {
    return delegate.isErrorEnabled();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return ContextLogger.class.getName();
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String message, Object[] arguments, Throwable thrown) {
    LogContext.refresh();
    Object[] all = withThrown(arguments, thrown);
    switch (level) {
      case TRACE -> delegate.trace(marker, message, all);
      case DEBUG -> delegate.debug(marker, message, all);
      case INFO -> delegate.info(marker, message, all);
      case WARN -> delegate.warn(marker, message, all);
      case ERROR -> delegate.error(marker, message, all);
    }
  }

  /** SLF4J takes a last argument that is a throwable as the line's exception. */
  private static Object[] withThrown(Object[] arguments, Throwable thrown) {
    Object[] given = arguments == null ? new Object[0] : arguments;
    if (thrown == null) {
      return given;
    }
    Object[] all = java.util.Arrays.copyOf(given, given.length + 1);
    all[given.length] = thrown;
    return all;
  }
}
