package io.breakglass.api.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.Set;

/**
 * One static bearer token, stored as its SHA-256 hash only ({@code printf %s "$TOKEN" |
 * sha256sum}).
 *
 * @param name the caller's identity, recorded in the audit log and as approver or initiator
 * @param sha256 lower-case hex SHA-256 of the token's UTF-8 bytes
 * @param roles the caller's roles
 */
public record TokenConfig(
    @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._@-]{0,127}") String name,
    @NotBlank
        @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits (SHA-256)")
        String sha256,
    @NotEmpty Set<@Pattern(regexp = Role.PATTERN) String> roles) {

  /** No hash in logs or error messages. */
  @Override
  public String toString() {
    return "TokenConfig[name=" + name + ", roles=" + roles + "]";
  }
}
