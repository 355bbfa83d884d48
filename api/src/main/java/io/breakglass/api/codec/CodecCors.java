package io.breakglass.api.codec;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Set;

/**
 * CORS for the codec endpoints, so the Temporal UI can call them from the operator's browser: only
 * origins on the allow-list get CORS headers; any other origin gets none, and the browser keeps the
 * answer from the page. A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method})
 * from a listed origin is answered here, before authentication, because browsers send preflights
 * without credentials.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class CodecCors implements ContainerRequestFilter, ContainerResponseFilter {

  static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Namespace";
  private static final String PATH = "codec/";

  private final Set<String> allowedOrigins;

  public CodecCors(CodecServerConfig config) {
    this.allowedOrigins = Set.copyOf(config.allowedOrigins());
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (allowedOrigin(request) != null
        && HttpMethod.OPTIONS.equals(request.getMethod())
        && request.getHeaderString("Access-Control-Request-Method") != null) {
      request.abortWith(
          Response.noContent()
              .header("Access-Control-Allow-Methods", "POST, OPTIONS")
              .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
              .header("Access-Control-Max-Age", "600")
              .build());
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String origin = allowedOrigin(request);
    if (origin == null) {
      return;
    }
    MultivaluedMap<String, Object> headers = response.getHeaders();
    headers.putSingle("Access-Control-Allow-Origin", origin);
    headers.putSingle("Access-Control-Allow-Credentials", "true");
    headers.add("Vary", "Origin");
  }

  /** The request's origin when it is on the allow-list and the path is a codec endpoint. */
  private String allowedOrigin(ContainerRequestContext request) {
    String origin = request.getHeaderString("Origin");
    boolean codecPath =
        request.getUriInfo().getPath().startsWith(PATH)
            || request.getUriInfo().getPath().startsWith("/" + PATH);
    return codecPath && origin != null && allowedOrigins.contains(origin) ? origin : null;
  }
}
