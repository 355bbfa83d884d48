package io.breakglass.api.resources;

import io.breakglass.api.auth.Role;
import io.breakglass.api.core.IncidentReport;
import io.breakglass.api.core.ReportMarkdown;
import io.breakglass.api.core.Rotations;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The incident report of a rotation, as JSON or Markdown: by {@code Accept} on {@code report} (JSON
 * unless Markdown is preferred), or by suffix ({@code report.json}, {@code report.md}).
 */
@Path("/api/rotations")
public final class ReportResource {

  public static final String MARKDOWN = "text/markdown";

  private final Rotations rotations;

  public ReportResource(Rotations rotations) {
    this.rotations = rotations;
  }

  @GET
  @Path("{id}/report")
  @Produces(MediaType.APPLICATION_JSON + ";qs=1")
  @RolesAllowed({Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN})
  public IncidentReport json(@PathParam("id") String rotationId) {
    return IncidentReport.of(rotations.detail(rotationId));
  }

  @GET
  @Path("{id}/report")
  @Produces(MARKDOWN + ";qs=0.5;charset=utf-8")
  @RolesAllowed({Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN})
  public String markdown(@PathParam("id") String rotationId) {
    return ReportMarkdown.render(json(rotationId));
  }

  @GET
  @Path("{id}/report.json")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN})
  public IncidentReport jsonFile(@PathParam("id") String rotationId) {
    return json(rotationId);
  }

  @GET
  @Path("{id}/report.md")
  @Produces(MARKDOWN + ";charset=utf-8")
  @RolesAllowed({Role.VIEWER, Role.OPERATOR, Role.APPROVER, Role.ADMIN})
  public String markdownFile(@PathParam("id") String rotationId) {
    return markdown(rotationId);
  }
}
