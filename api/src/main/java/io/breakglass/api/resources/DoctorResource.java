package io.breakglass.api.resources;

import io.breakglass.api.auth.Role;
import io.breakglass.api.core.Doctor;
import io.breakglass.api.wire.Checkup;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * What an interrupted rotation left behind, for admins: the {@code doctor} check without the data
 * sets, which only workers read (the {@code doctor} command scans them).
 */
@Path("/api/doctor")
@Produces(MediaType.APPLICATION_JSON)
public final class DoctorResource {

  private final Doctor doctor;

  public DoctorResource(Doctor doctor) {
    this.doctor = doctor;
  }

  @GET
  @RolesAllowed(Role.ADMIN)
  public Checkup check() {
    return doctor.check(List.of());
  }
}
