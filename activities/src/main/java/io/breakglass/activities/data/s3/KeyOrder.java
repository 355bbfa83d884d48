package io.breakglass.activities.data.s3;

import java.util.Comparator;

/**
 * S3 lists keys in the byte order of their UTF-8 form, which is code point order; Java's {@link
 * String#compareTo} orders UTF-16 units and differs for characters above U+FFFF. Shard bounds are
 * compared in S3's order so a listing and a range check never disagree.
 */
final class KeyOrder {

  static final Comparator<String> S3 = KeyOrder::compare;

  private KeyOrder() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * A key that S3 lists just before {@code key}, for a StartAfter that includes {@code key}: its
   * last character one lower. Keys between it and {@code key} are listed too, and filtered out.
   */
  static String before(String key) {
    int last = key.offsetByCodePoints(key.length(), -1);
    int codePoint = key.codePointAt(last);
    String head = key.substring(0, last);
    if (codePoint == 0) {
      return head;
    }
    // Surrogates are not characters: below U+E000 comes U+D7FF.
    int lower = codePoint == 0xE000 ? 0xD7FF : codePoint - 1;
    return head + new String(Character.toChars(lower));
  }
}
