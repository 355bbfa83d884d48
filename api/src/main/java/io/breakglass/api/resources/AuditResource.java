package io.breakglass.api.resources;

import io.breakglass.api.auth.Role;
import io.breakglass.api.core.AuditRecords;
import io.breakglass.api.wire.AuditRecord;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The audit log of API calls, newest first: admins only. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {

  private final AuditRecords audit;

  public AuditResource(AuditRecords audit) {
    this.audit = audit;
  }

  @GET
  @RolesAllowed(Role.ADMIN)
  public List<AuditRecord> recent(@QueryParam("limit") @DefaultValue("100") int limit) {
    return audit.recent(limit);
  }
}
