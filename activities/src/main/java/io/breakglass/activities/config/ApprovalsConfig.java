package io.breakglass.activities.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.breakglass.workflows.approval.PersonNames;
import io.breakglass.workflows.approval.ProofRefusedException;
import io.breakglass.workflows.approval.PublicKeys;
import io.breakglass.workflows.messages.values.ApprovalPolicy;
import io.breakglass.workflows.messages.values.ApproverKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the workflow verifies who starts, approves and rejects ({@code rotation.approvals}). PLAN
 * copies it into the rotation's plan, so a rotation keeps the rules it started under. Public
 * material only: the identity provider's address and the approvers' public keys.
 *
 * @param allowUnsigned true only for development, demos and test beds: a decision without a proof
 *     then counts, marked unverified (a proof that is given is still verified)
 * @param oidc the identity provider whose tokens count, or null for signed statements only
 * @param leeway clock skew tolerated on a proof's times (default 30 seconds, at most 5 minutes)
 * @param statementMaxLifetime how far ahead a signed statement may expire (default 1 hour, 1 minute
 *     to 1 day)
 * @param keys the registered Ed25519 public keys: person, then key id, then the 32-byte key in
 *     base64 (what {@code breakglass approval keygen} prints)
 */
public record ApprovalsConfig(
    boolean allowUnsigned,
    @Valid ApprovalIdentityProviderConfig oidc,
    Duration leeway,
    Duration statementMaxLifetime,
    Map<String, Map<String, String>> keys) {

  private static final Duration LONGEST_LEEWAY = Duration.ofMinutes(5);
  private static final Duration SHORTEST_LIFETIME = Duration.ofMinutes(1);
  private static final Duration LONGEST_LIFETIME = Duration.ofDays(1);

  public ApprovalsConfig {
    leeway = leeway == null ? Duration.ofSeconds(30) : leeway;
    statementMaxLifetime =
        statementMaxLifetime == null ? Duration.ofHours(1) : statementMaxLifetime;
    keys = keys == null ? Map.of() : copy(keys);
    if (leeway.isNegative() || leeway.compareTo(LONGEST_LEEWAY) > 0) {
      throw new IllegalArgumentException(
          "approvals.leeway must be between PT0S and " + LONGEST_LEEWAY);
    }
    if (statementMaxLifetime.compareTo(SHORTEST_LIFETIME) < 0
        || statementMaxLifetime.compareTo(LONGEST_LIFETIME) > 0) {
      throw new IllegalArgumentException(
          "approvals.statementMaxLifetime must be between "
              + SHORTEST_LIFETIME
              + " and "
              + LONGEST_LIFETIME);
    }
    requireUsableKeys(keys);
  }

  /** Development, demos and test beds: unsigned decisions count, marked unverified. */
  public static ApprovalsConfig unsignedForDevelopment() {
    return new ApprovalsConfig(true, null, null, null, null);
  }

  /** Where unsigned decisions do not count, something must be able to verify a proof. */
  @JsonIgnore
  @AssertTrue(
      message =
          "is false: with allowUnsigned false, configure oidc or keys, or no rotation can start")
  public boolean isSomethingVerifiable() {
    return allowUnsigned || oidc != null || !keys.isEmpty();
  }

  /** The rules as the plan carries them. */
  public ApprovalPolicy policy() {
    List<ApproverKey> registered = new ArrayList<>();
    keys.forEach(
        (person, byId) ->
            byId.forEach((id, key) -> registered.add(new ApproverKey(person, id, key))));
    return new ApprovalPolicy(
        allowUnsigned,
        oidc == null ? null : oidc.issuer(),
        oidc == null ? null : oidc.audience(),
        oidc == null ? null : oidc.nameClaim(),
        leeway,
        statementMaxLifetime,
        registered);
  }

  private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> keys) {
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    keys.forEach(
        (person, byId) ->
            copy.put(
                person,
                byId == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(byId))));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * @throws IllegalArgumentException naming the person or key id: a blank name, two people whose
   *     names normalise alike, a key id used twice, a key that is not a 32-byte Ed25519 key
   */
  private static void requireUsableKeys(Map<String, Map<String, String>> keys) {
    Map<String, String> people = new HashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (Map.Entry<String, Map<String, String>> person : keys.entrySet()) {
      String name = person.getKey();
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("approvals.keys: a person's name is blank");
      }
      String earlier = people.put(PersonNames.key(name), name);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "approvals.keys: '"
                + earlier
                + "' and '"
                + name
                + "' are the same person once normalised");
      }
      for (Map.Entry<String, String> key : person.getValue().entrySet()) {
        String id = key.getKey();
        if (id == null || id.isBlank()) {
          throw new IllegalArgumentException("approvals.keys." + name + ": a key id is blank");
        }
        String owner = owners.put(id, name);
        if (owner != null) {
          throw new IllegalArgumentException(
              "approvals.keys: key id " + id + " is registered to both " + owner + " and " + name);
        }
        try {
          PublicKeys.registeredEd25519(key.getValue());
        } catch (ProofRefusedException unusable) {
          throw new IllegalArgumentException(
              "approvals.keys." + name + "." + id + ": " + unusable.getMessage());
        }
      }
    }
  }
}
