package io.breakglass.workflows.approval;

import java.text.Normalizer;
import java.util.Locale;

/**
 * When two names are one person: after Unicode NFKC, case folding and trimming surrounding white
 * space, so "Alice", " alice " and the full-width "ａｌｉｃｅ" are the same approver, and the initiator
 * cannot approve under a variant of their own name.
 */
public final class PersonNames {

  private PersonNames() {}

  /**
   * The form names are compared in: NFKC, surrounding white space stripped, upper- then lower-cased
   * (so that "ß" and "SS" fold alike), NFKC again. Null for null.
   */
  public static String key(String name) {
    if (name == null) {
      return null;
    }
    String compatible = Normalizer.normalize(name, Normalizer.Form.NFKC).strip();
    String folded = compatible.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return Normalizer.normalize(folded, Normalizer.Form.NFKC);
  }

  /** True when {@code a} and {@code b} name the same person; false when either is null. */
  public static boolean same(String a, String b) {
    return a != null && b != null && key(a).equals(key(b));
  }
}
