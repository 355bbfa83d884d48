package io.breakglass.api.http;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Request bodies are UTF-8: a {@code Content-Type} declaring another charset is refused with 415
 * before anything reads the body. (The JSON reader ignores the declared charset, so a body declared
 * {@code charset=utf-16} would otherwise be read as something other than what its sender meant.)
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public final class Utf8Bodies implements ContainerRequestFilter {

  @Override
  public void filter(ContainerRequestContext request) {
    String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
    if (type == null) {
      return;
    }
    String charset;
    try {
      charset = MediaType.valueOf(type).getParameters().get(MediaType.CHARSET_PARAMETER);
    } catch (IllegalArgumentException malformed) {
      refuse(request, 400, "the Content-Type header is malformed");
      return;
    }
    if (charset != null && !utf8(charset)) {
      String named =
          charset.matches("[A-Za-z0-9._:-]{1,40}") ? "charset=" + charset : "another charset";
      refuse(request, 415, "request bodies must be UTF-8; the Content-Type declares " + named);
    }
  }

  private static boolean utf8(String charset) {
    try {
      return Charset.forName(charset.trim()).equals(StandardCharsets.UTF_8);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return false;
    }
  }

  private static void refuse(ContainerRequestContext request, int status, String message) {
    request.abortWith(
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorMessage(status, message))
            .build());
  }
}
