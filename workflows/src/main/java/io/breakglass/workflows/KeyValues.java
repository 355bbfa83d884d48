package io.breakglass.workflows;

import java.util.regex.Pattern;

/**
 * Text that looks like an API key value ({@code sk-...}, as OpenAI issues them): a human's comment
 * carrying one is refused before the timeline records it.
 */
final class KeyValues {

  private static final Pattern KEY_VALUE = Pattern.compile("sk-[A-Za-z0-9_-]{8,}");

  private KeyValues() {}

  static boolean looksLikeOne(String text) {
    return text != null && KEY_VALUE.matcher(text).find();
  }
}
