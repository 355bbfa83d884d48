package io.breakglass.activities.reencrypt;

import io.breakglass.activities.crypto.DecryptingInputStream;
import io.breakglass.activities.crypto.EncryptingOutputStream;
import io.breakglass.activities.crypto.EnvelopeException;
import io.breakglass.activities.crypto.KeyId;
import io.breakglass.activities.crypto.Keyring;
import io.breakglass.activities.data.ItemStore;
import io.breakglass.activities.data.LargeItem;
import io.breakglass.activities.data.LargeItemSession;
import io.breakglass.activities.data.LargeItemSession.Outcome;
import java.io.OutputStream;
import java.util.Optional;
import java.util.Set;

/**
 * Re-encrypts one item too large for memory: its streaming envelope is decrypted and encrypted
 * again one segment at a time into a conditional multipart rewrite. An item the application wrote
 * meanwhile is looked up again and handled afresh, like a lost batch write.
 */
final class LargeItemReencryptor {

  /** What became of one large item. */
  enum Result {
    REENCRYPTED,
    ALREADY_TARGET,
    OTHER_KEY,
    GONE
  }

  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];

  private final ItemStore store;
  private final Keyring keyring;
  private final int conflictRounds;

  LargeItemReencryptor(ItemStore store, Keyring keyring, int conflictRounds) {
    this.store = store;
    this.keyring = keyring;
    this.conflictRounds = conflictRounds;
  }

  /**
   * @param conflicts counts each write lost to the application
   * @throws UndecryptableItemException when the item is not a streaming envelope that decrypts
   */
  Result run(
      LargeItemSession session,
      LargeItem item,
      KeyId target,
      Set<String> sources,
      Runnable conflicts) {
    byte[] associatedData = store.associatedData(item.key());
    byte[] bound = associatedData == null ? NO_ASSOCIATED_DATA : associatedData;
    Optional<LargeItem> current = Optional.of(item);
    for (int round = 0; current.isPresent(); round++) {
      Result[] decided = {Result.REENCRYPTED};
      Outcome outcome;
      try {
        outcome =
            session.rewriteIfUnchanged(
                current.get(),
                (stored, replacement) -> {
                  DecryptingInputStream plaintext =
                      new DecryptingInputStream(stored, keyring, bound);
                  KeyId kid = plaintext.keyId();
                  if (kid.equals(target)) {
                    decided[0] = Result.ALREADY_TARGET;
                    return false;
                  }
                  if (!kid.secret().equals(target.secret())
                      || (!sources.isEmpty() && !sources.contains(kid.versionId()))) {
                    decided[0] = Result.OTHER_KEY;
                    return false;
                  }
                  try (OutputStream out =
                      new EncryptingOutputStream(replacement, target, keyring, bound)) {
                    plaintext.transferTo(out);
                  }
                  return true;
                });
      } catch (EnvelopeException e) {
        throw new UndecryptableItemException(item.key(), e);
      }
      if (outcome != Outcome.LOST) {
        return decided[0];
      }
      conflicts.run();
      if (round == conflictRounds) {
        throw new ConcurrentWritesException(1, conflictRounds);
      }
      current = session.current(item.key());
    }
    return Result.GONE;
  }
}
