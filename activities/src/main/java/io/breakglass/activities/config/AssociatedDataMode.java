package io.breakglass.activities.config;

/** What a data set's ciphertexts are bound to (the AES-GCM associated data). */
public enum AssociatedDataMode {
  /** The row id, as decimal text: an envelope copied to another row does not decrypt. */
  ROW_ID,
  /** The object's path relative to the data set root, with '/' separators. */
  OBJECT_PATH,
  /** Nothing: for data written by an application that does not bind its ciphertexts. */
  NONE,
  /**
   * The same text for every item, the data set's {@code profile.associatedDataConstant} (UTF-8):
   * for an application that binds its ciphertexts to a fixed label.
   */
  CONSTANT
}
