package io.breakglass.api.codec;

import io.breakglass.api.auth.Caller;
import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;

/**
 * Signs in the caller of a codec endpoint from its {@code Authorization: Bearer} header (the only
 * place a credential is read from) through {@link CodecCallers}. It refuses nothing itself: a
 * request it cannot sign in reaches {@link CodecResource} without a caller, and the resource
 * answers 401, so an endpoint without this filter is closed, not open.
 */
@CodecCaller
@Priority(Priorities.AUTHENTICATION)
public final class CodecAuthentication implements ContainerRequestFilter {

  private static final String BEARER = "bearer ";

  private final Authenticator<String, Caller> callers;

  public CodecAuthentication(Authenticator<String, Caller> callers) {
    this.callers = callers;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return;
    }
    String token = header.substring(BEARER.length()).strip();
    Optional<Caller> caller;
    try {
      caller = token.isEmpty() ? Optional.empty() : callers.authenticate(token);
    } catch (AuthenticationException e) {
      // The identity provider's keys could not be fetched: not the caller's fault.
      throw new ServiceUnavailableException("cannot validate access tokens now; try again");
    }
    caller.ifPresent(
        c -> request.setSecurityContext(new SignedIn(c, request.getSecurityContext().isSecure())));
  }

  private record SignedIn(Caller caller, boolean secure) implements SecurityContext {

    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return caller.has(role);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
