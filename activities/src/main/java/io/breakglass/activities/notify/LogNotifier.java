package io.breakglass.activities.notify;

import io.breakglass.workflows.activities.NotificationActivities.Notice;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The channel that is always on: one log line per notice, at a level that follows its severity
 * (INFO, WARN, ERROR) so log-based alerting sees critical notices.
 */
public final class LogNotifier implements Notifier {

  private static final Logger log = LoggerFactory.getLogger(LogNotifier.class);

  @Override
  public String name() {
    return "log";
  }

  @Override
  public boolean accepts(Notice notice) {
    return true;
  }

  @Override
  public CompletableFuture<Void> deliver(Notice notice) {
    log.atLevel(level(notice))
        .log(
            "notice rotationId={} event={} severity={} audiences={} summary={}",
            notice.rotationId(),
            notice.event(),
            notice.severity(),
            notice.audiences(),
            notice.summary());
    return CompletableFuture.completedFuture(null);
  }

  private static Level level(Notice notice) {
    if (notice.severity() == null) {
      return Level.INFO;
    }
    return switch (notice.severity()) {
      case INFO -> Level.INFO;
      case WARNING -> Level.WARN;
      case CRITICAL -> Level.ERROR;
    };
  }
}
