package io.breakglass.activities.approval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breakglass.workflows.messages.values.Jwk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An identity provider's JWKS (RFC 7517) reduced to what the workflow may hold: the public members
 * of its RSA, EC and OKP signing keys. Symmetric keys ({@code oct}), encryption keys and every
 * private member are left out, so a misconfigured JWKS cannot put a secret into a history.
 */
final class JwksDocument {

  /** The most keys kept; a provider publishes a handful. */
  static final int MAX_KEYS = 32;

  private static final Set<String> SIGNING_TYPES = Set.of("RSA", "EC", "OKP");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private JwksDocument() {}

  /**
   * @throws IllegalArgumentException when {@code json} is not a JWKS (an object with a {@code keys}
   *     array)
   */
  static List<Jwk> publicSigningKeys(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException notJson) {
      throw new IllegalArgumentException("the JWKS is not JSON");
    }
    if (root == null || !root.path("keys").isArray()) {
      throw new IllegalArgumentException("the JWKS has no keys array");
    }
    List<Jwk> keys = new ArrayList<>();
    for (JsonNode key : root.get("keys")) {
      String kty = text(key, "kty");
      String use = text(key, "use");
      if (!SIGNING_TYPES.contains(kty)
          || (use != null && !use.equals("sig"))
          || text(key, "kid") == null) {
        continue;
      }
      if (keys.size() == MAX_KEYS) {
        throw new IllegalArgumentException(
            "the JWKS holds more than " + MAX_KEYS + " signing keys");
      }
      keys.add(
          new Jwk(
              kty,
              text(key, "kid"),
              text(key, "alg"),
              use,
              text(key, "crv"),
              kty.equals("RSA") ? text(key, "n") : null,
              kty.equals("RSA") ? text(key, "e") : null,
              kty.equals("RSA") ? null : text(key, "x"),
              kty.equals("EC") ? text(key, "y") : null));
    }
    return keys;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
