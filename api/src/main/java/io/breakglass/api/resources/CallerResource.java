package io.breakglass.api.resources;

import io.breakglass.api.auth.Caller;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Who the presented credentials belong to, and their roles: for the console and the CLI. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
public final class CallerResource {

  @GET
  @PermitAll
  public Caller me(@Auth Caller caller) {
    return caller;
  }
}
