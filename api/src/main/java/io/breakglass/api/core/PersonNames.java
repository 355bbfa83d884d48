package io.breakglass.api.core;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How the API compares people's names (an initiator and an approver, a caller and the subject of a
 * proof): after Unicode NFKC, case folding and trimming, so {@code "Alice "}, {@code "alice"} and
 * {@code "ａｌｉｃｅ"} are one person. Names are shown as given; only comparisons use this form.
 */
public final class PersonNames {

  private PersonNames() {}

  /** The comparable form of {@code name}: NFKC, case-folded (upper, then lower, locale-neutral), trimmed. */
  public static String normalise(String name) {
    String compatible = Normalizer.normalize(name.strip(), Normalizer.Form.NFKC);
    // Upper then lower folds what lower alone leaves apart ("ß" and "SS", final and medial sigma).
    String folded = compatible.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(folded, Normalizer.Form.NFKC).strip();
  }

  /** Whether {@code a} and {@code b} name the same person; false when either is null. */
  public static boolean same(String a, String b) {
    return a != null && b != null && normalise(a).equals(normalise(b));
  }
}
