package io.breakglass.activities.reencrypt;

import io.breakglass.activities.data.LargeItem;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.StreamRewrite;
import java.util.List;
import java.util.Optional;

/** A large-item session that lets the "application" write once, after our read began. */
final class RacingLargeSession extends DelegatingSession implements LargeItemSession {

  private final LargeItemSession session;
  private final Runnable application;
  private boolean raced;

  RacingLargeSession(LargeItemSession session, Runnable application) {
    super(session);
    this.session = session;
    this.application = application;
  }

  @Override
  public List<LargeItem> largeItems() {
    return session.largeItems();
  }

  @Override
  public String lastKey() {
    return session.lastKey();
  }

  @Override
  public Optional<LargeItem> current(String key) {
    return session.current(key);
  }

  @Override
  public java.io.InputStream open(LargeItem item) {
    return session.open(item);
  }

  @Override
  public Outcome rewriteIfUnchanged(LargeItem item, StreamRewrite rewrite) {
    return session.rewriteIfUnchanged(
        item,
        (stored, replacement) -> {
          boolean wrote = rewrite.rewrite(stored, replacement);
          if (!raced) {
            raced = true;
            application.run();
          }
          return wrote;
        });
  }
}
