package io.breakglass.activities.reencrypt;

import io.breakglass.activities.data.ItemSession;
import io.breakglass.activities.data.Rewrite;
import io.breakglass.activities.data.StoredItem;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * An {@link ItemSession} that forwards everything but deferred writes, which reach the delegate as
 * durable ones through {@link #writeIfUnchanged} (so a test that overrides it sees every write);
 * tests override what they interfere with.
 */
class DelegatingSession implements ItemSession {

  private final ItemSession session;

  DelegatingSession(ItemSession session) {
    this.session = session;
  }

  @Override
  public long remaining() {
    return session.remaining();
  }

  @Override
  public List<StoredItem> next(int max) {
    return session.next(max);
  }

  @Override
  public List<StoredItem> read(Collection<String> keys) {
    return session.read(keys);
  }

  @Override
  public Set<String> writeIfUnchanged(List<Rewrite> rewrites) {
    return session.writeIfUnchanged(rewrites);
  }

  @Override
  public boolean exhausted() {
    return session.exhausted();
  }

  @Override
  public boolean durable() {
    return session.durable();
  }

  @Override
  public void awaitDurable() {
    session.awaitDurable();
  }

  @Override
  public void close() {
    session.close();
  }
}
