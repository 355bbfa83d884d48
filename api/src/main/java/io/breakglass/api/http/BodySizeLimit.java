package io.breakglass.api.http;

import io.dropwizard.jersey.errors.ErrorMessage;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Refuses a request body larger than the limit with 413, whether or not it declares its length: at
 * most limit + 1 bytes are ever read. Runs before matching and authentication, so nothing reads an
 * oversized body.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodySizeLimit implements ContainerRequestFilter {

  private final int maxBytes;

  public BodySizeLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    if (request.getLength() > maxBytes) {
      refuse(request);
      return;
    }
    if (!request.hasEntity()) {
      return;
    }
    byte[] body = request.getEntityStream().readNBytes(maxBytes + 1);
    if (body.length > maxBytes) {
      refuse(request);
      return;
    }
    request.setEntityStream(new ByteArrayInputStream(body));
  }

  private void refuse(ContainerRequestContext request) {
    int status = Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode();
    request.abortWith(
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(
                new ErrorMessage(status, "the request body is larger than " + maxBytes + " bytes"))
            .build());
  }
}
