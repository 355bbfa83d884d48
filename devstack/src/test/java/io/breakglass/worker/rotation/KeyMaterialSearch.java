package io.breakglass.worker.rotation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Looks for key material in bytes, in every form it could leak in: raw, base64 (standard and URL,
 * padded or not) and hex (either case).
 */
final class KeyMaterialSearch {

  private final Map<String, byte[]> keys;

  /**
   * @param keys material to look for, by a name that says which version it is
   */
  KeyMaterialSearch(Map<String, byte[]> keys) {
    this.keys = keys;
  }

  /** Names and forms of every key found in {@code haystack}. */
  List<String> findIn(byte[] haystack) {
    List<String> found = new ArrayList<>();
    String text = new String(haystack, StandardCharsets.ISO_8859_1);
    for (Map.Entry<String, byte[]> key : keys.entrySet()) {
      byte[] material = key.getValue();
      if (contains(haystack, material)) {
        found.add(key.getKey() + " raw");
      }
      for (Map.Entry<String, String> form : forms(material).entrySet()) {
        if (text.contains(form.getValue())) {
          found.add(key.getKey() + " " + form.getKey());
        }
      }
    }
    return found;
  }

  private static Map<String, String> forms(byte[] material) {
    return Map.of(
        "base64", Base64.getEncoder().encodeToString(material),
        "base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(material),
        "hex", HexFormat.of().formatHex(material),
        "HEX", HexFormat.of().withUpperCase().formatHex(material));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
