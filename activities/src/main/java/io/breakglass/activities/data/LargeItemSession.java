package io.breakglass.activities.data;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A session over a store that keeps items too large to read into memory. {@link #next} returns the
 * items it could read whole; the large ones it passed over are listed by {@link #largeItems()} and
 * handled as streams. A page is exhausted only when both are empty.
 */
public interface LargeItemSession extends ItemSession {

  @Override
  List<LargeItem> largeItems();

  /** The highest key the last {@link #next} call passed, read whole or not: the checkpoint. */
  String lastKey();

  /** The item under {@code key} as it is now, large or not; empty when it is gone. */
  Optional<LargeItem> current(String key);

  /**
   * The stored bytes of {@code item}, exactly the version read.
   *
   * @throws ItemChangedException when the item changed or vanished since it was read
   */
  InputStream open(LargeItem item);

  /** How a conditional stream rewrite ended. */
  enum Outcome {
    /** The replacement is stored. */
    WRITTEN,
    /** The rewrite declined: nothing was written. */
    UNCHANGED,
    /** The item changed since it was read: the application's version is kept, ours dropped. */
    LOST
  }

  /**
   * Streams {@code item}'s stored bytes through {@code rewrite} and stores the replacement only if
   * the item still holds the version read.
   */
  Outcome rewriteIfUnchanged(LargeItem item, StreamRewrite rewrite);
}
