package io.breakglass.activities.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Turns an item's stored bytes into its replacement, one buffer at a time. */
@FunctionalInterface
public interface StreamRewrite {

  /**
   * Reads {@code stored} and writes the replacement to {@code replacement}.
   *
   * @return false when the item needs no replacement; nothing may then have been written
   */
  boolean rewrite(InputStream stored, OutputStream replacement) throws IOException;
}
