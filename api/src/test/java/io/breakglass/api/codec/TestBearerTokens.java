package io.breakglass.api.codec;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Map;

/**
 * A stand-in for the operator API's bearer authentication, for tests only: a known token signs
 * the caller in with one role, anything else is 401. {@code RolesAllowedDynamicFeature} then
 * turns a missing role into 403, as in the application.
 */
@Priority(Priorities.AUTHENTICATION)
final class TestBearerTokens implements ContainerRequestFilter {

  private final Map<String, String> roleByToken;

  /** @param roleByToken the role of each valid token */
  TestBearerTokens(Map<String, String> roleByToken) {
    this.roleByToken = roleByToken;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String role = header != null && header.startsWith("Bearer ") ? roleByToken.get(header.substring(7)) : null;
    if (role == null) {
      request.abortWith(Response.status(Response.Status.UNAUTHORIZED).build());
      return;
    }
    Principal caller = () -> role + "-caller";
    request.setSecurityContext(
        new SecurityContext() {
          @Override
          public Principal getUserPrincipal() {
            return caller;
          }

          @Override
          public boolean isUserInRole(String name) {
            return role.equals(name);
          }

          @Override
          public boolean isSecure() {
            return false;
          }

          @Override
          public String getAuthenticationScheme() {
            return "Bearer";
          }
        });
  }
}
