package io.breakglass.api.auth;

import io.dropwizard.auth.AuthFilter;
import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Locale;

/**
 * Bearer credentials from the {@code Authorization} header only. A token in the URL ({@code
 * ?access_token=}, which Dropwizard's OAuth filter would accept) ends up in request logs, proxy
 * logs and browser history, so a request carrying one is refused with 401 whatever else it carries.
 */
@Priority(Priorities.AUTHENTICATION)
public final class HeaderBearerFilter extends AuthFilter<String, Caller> {

  /** The query parameter RFC 6750 defines for a bearer token; never accepted here. */
  public static final String QUERY_TOKEN = "access_token";

  private HeaderBearerFilter() {}

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getUriInfo().getQueryParameters().containsKey(QUERY_TOKEN)) {
      throw new WebApplicationException(
          Response.status(Response.Status.UNAUTHORIZED)
              .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
              .type(MediaType.APPLICATION_JSON_TYPE)
              .entity(
                  new ErrorMessage(
                      401,
                      "credentials go in the Authorization header (Bearer), never in the URL: "
                          + QUERY_TOKEN
                          + " is refused"))
              .build());
    }
    String token = token(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
    if (!authenticate(request, token, SecurityContext.BASIC_AUTH)) {
      throw unauthorizedHandler.buildException(prefix, realm);
    }
  }

  /** The token after {@code Bearer }, or null when the header is missing or another scheme. */
  private String token(String header) {
    if (header == null) {
      return null;
    }
    int space = header.indexOf(' ');
    if (space <= 0
        || !header
            .substring(0, space)
            .toLowerCase(Locale.ROOT)
            .equals(prefix.toLowerCase(Locale.ROOT))) {
      return null;
    }
    return header.substring(space + 1);
  }

  /** Built like Dropwizard's other auth filters. */
  public static final class Builder extends AuthFilterBuilder<String, Caller, HeaderBearerFilter> {
    @Override
    protected HeaderBearerFilter newInstance() {
      return new HeaderBearerFilter();
    }
  }
}
