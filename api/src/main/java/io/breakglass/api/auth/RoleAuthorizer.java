package io.breakglass.api.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** A caller is in a role when its configuration or token lists it; nothing is implied. */
public final class RoleAuthorizer implements Authorizer<Caller> {

  @Override
  public boolean authorize(Caller caller, String role, ContainerRequestContext request) {
    return caller.has(role);
  }
}
