package io.breakglass.api.resources;

import io.breakglass.activities.audit.AuditEntry;
import io.breakglass.activities.audit.AuditLog;
import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.api.auth.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
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

  private final AuditLog audit;

  public AuditResource(AuditLog audit) {
    this.audit = audit;
  }

  @GET
  @RolesAllowed(Role.ADMIN)
  public List<AuditEntry> recent(@QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1 || limit > RotationHistory.MAX_LIMIT) {
      throw new BadRequestException("limit must be between 1 and " + RotationHistory.MAX_LIMIT);
    }
    return audit.recent(limit);
  }
}
