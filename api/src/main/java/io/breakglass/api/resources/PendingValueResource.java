package io.breakglass.api.resources;

import io.breakglass.api.auth.Role;
import io.breakglass.api.core.PendingValues;
import io.breakglass.api.http.AuditTrail;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;

/**
 * The value an operator supplies for a secret Breakglass cannot generate (an API key), for its next
 * rotation. The body is the value itself (one trailing newline is dropped, as {@code curl
 * --data-binary @file} sends it); what remains must hold no control character (422), since it will
 * travel in an HTTP header. It goes straight to the secret store: never to Temporal, never into a
 * response, a log or the audit row.
 */
@Path("/api/secrets/{name}/pending-value")
public final class PendingValueResource {

  private final PendingValues pendingValues;

  public PendingValueResource(PendingValues pendingValues) {
    this.pendingValues = pendingValues;
  }

  @PUT
  @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Role.OPERATOR, Role.ADMIN})
  public Response supply(
      @PathParam("name") String secret, byte[] body, @Context ContainerRequestContext request) {
    byte[] value = withoutTrailingNewline(body);
    Arrays.fill(body, (byte) 0);
    try {
      String name = pendingValues.operatorSupplied(secret);
      if (value.length == 0) {
        throw new BadRequestException("the value is empty");
      }
      if (holdsControlCharacters(value)) {
        // The value is never quoted, not even in part.
        throw new ClientErrorException(
            "the value holds control characters (CR, LF, NUL or others) besides one trailing newline;"
                + " an API key is printable text",
            422);
      }
      pendingValues.stage(name, value);
      AuditTrail.detail(request, "pending value staged for the next rotation of " + secret);
      return Response.noContent().build();
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  private static boolean holdsControlCharacters(byte[] value) {
    for (byte b : value) {
      if ((b >= 0 && b < 0x20) || b == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private static byte[] withoutTrailingNewline(byte[] body) {
    int end = body.length;
    if (end > 0 && body[end - 1] == '\n') {
      end--;
      if (end > 0 && body[end - 1] == '\r') {
        end--;
      }
    }
    return Arrays.copyOf(body, end);
  }
}
