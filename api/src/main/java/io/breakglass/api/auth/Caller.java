package io.breakglass.api.auth;

import java.security.Principal;
import java.util.Set;

/**
 * The authenticated caller: the identity every action is recorded under (an approval's approver, a
 * rotation's initiator) and the roles that decide what it may do.
 *
 * @param name the identity (a configured token's name, or the OIDC name claim)
 * @param roles role names from {@link Role}
 */
public record Caller(String name, Set<String> roles) implements Principal {

  public Caller {
    roles = Set.copyOf(roles);
  }

  @Override
  public String getName() {
    return name;
  }

  public boolean has(String role) {
    return roles.contains(role);
  }
}
