package io.breakglass.api.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.Set;

/**
 * Roles an identity provider's token earns by a claim value: a token whose {@code claim} holds
 * {@code value} gets {@code roles}. A claim holds a value when it equals it, when it is a JSON
 * array listing it ({@code "groups": ["breakglass-approvers"]}, Okta's {@code scp}), or when it is
 * a space-separated string listing it (OAuth's {@code "scope": "openid breakglass.decode"}, Entra
 * ID's {@code scp}). Values are compared exactly, case included.
 *
 * <pre>{@code
 * roleMappings:
 *   - {claim: groups, value: breakglass-approvers, roles: [approver]}
 *   - {claim: scope,  value: breakglass.decode,    roles: [viewer]}
 * }</pre>
 *
 * @param claim a top-level claim name ({@code groups}, {@code scope}, {@code scp}, {@code roles})
 * @param value the value that earns the roles
 * @param roles the roles it earns
 */
public record RoleMapping(
    @NotBlank String claim,
    @NotBlank String value,
    @NotEmpty Set<@Pattern(regexp = Role.PATTERN) String> roles) {

  public RoleMapping {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }
}
