package io.breakglass.activities.secrets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A version's metadata as one text value: space-separated {@code key=value} fields, the form both
 * an AWS tag and a Vault {@code custom_metadata} value can hold. Each store checks that its keys
 * and values fit its own character rules before joining.
 */
public final class MetadataFields {

  private MetadataFields() {}

  /** {@code fields} joined in their order; keys and values must hold no space and no '='. */
  public static String join(Map<String, String> fields) {
    StringBuilder value = new StringBuilder();
    fields.forEach(
        (key, v) -> value.append(value.length() == 0 ? "" : " ").append(key).append('=').append(v));
    return value.toString();
  }

  /** The fields of {@code value} (null or empty: none); a field without '=' is ignored. */
  public static Map<String, String> parse(String value) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (value == null || value.isEmpty()) {
      return fields;
    }
    for (String field : value.split(" ")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    return fields;
  }
}
