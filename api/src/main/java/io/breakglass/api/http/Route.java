package io.breakglass.api.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/** The endpoint a request matched, as its template: {@code /api/rotations/{id}/halt}. */
final class Route {

  private static final int LONGEST_UNMATCHED_PATH = 200;

  private Route() {}

  /** Method and template, or method and (shortened) path when no endpoint matched. */
  static String of(ContainerRequestContext request) {
    return request.getMethod()
        + " "
        + template(request)
            .orElseGet(
                () -> {
                  String path = "/" + request.getUriInfo().getPath();
                  return path.length() > LONGEST_UNMATCHED_PATH
                      ? path.substring(0, LONGEST_UNMATCHED_PATH)
                      : path;
                });
  }

  /** The matched endpoint's template; empty when no endpoint matched. */
  static Optional<String> template(ContainerRequestContext request) {
    List<UriTemplate> matched = ((ExtendedUriInfo) request.getUriInfo()).getMatchedTemplates();
    if (matched.isEmpty()) {
      return Optional.empty();
    }
    List<UriTemplate> outerFirst = new ArrayList<>(matched);
    Collections.reverse(outerFirst);
    StringBuilder template = new StringBuilder();
    for (UriTemplate part : outerFirst) {
      String text = part.getTemplate();
      if (!text.startsWith("/")) {
        template.append('/');
      }
      template.append(text);
    }
    return Optional.of(template.toString());
  }
}
