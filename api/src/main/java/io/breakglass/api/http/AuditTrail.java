package io.breakglass.api.http;

import io.breakglass.activities.audit.AuditLog;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.security.Principal;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code breakglass.audit_log} row per API call, refused ones included: who (the caller, or
 * {@code anonymous} without valid credentials), what (the endpoint), which rotation or secret,
 * when (the database's clock) and the result (the HTTP status). A resource adds one line of
 * detail with {@link #detail}. Bodies are never recorded.
 *
 * <p>The row is written after the call took effect; when the audit store fails, the failure is
 * logged at ERROR and the caller still gets the real outcome.
 */
@Priority(Priorities.USER)
public final class AuditTrail implements ContainerResponseFilter {

  /** The caller name recorded when no valid credentials came with the request. */
  public static final String ANONYMOUS = "anonymous";

  private static final String DETAIL = AuditTrail.class.getName() + ".detail";
  private static final List<String> TARGET_PARAMETERS = List.of("id", "name");
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final AuditLog audit;

  public AuditTrail(AuditLog audit) {
    this.audit = audit;
  }

  /** Sets the audit row's detail for this request: ids and reasons, never secret material. */
  public static void detail(ContainerRequestContext request, String detail) {
    request.setProperty(DETAIL, detail);
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Principal caller = request.getSecurityContext().getUserPrincipal();
    String actor = caller == null ? ANONYMOUS : caller.getName();
    String action = Route.of(request);
    String target = target(request);
    String result = String.valueOf(response.getStatus());
    try {
      audit.record(actor, action, target, result, (String) request.getProperty(DETAIL));
    } catch (RuntimeException e) {
      log.error("cannot write the audit row of {} by {} on {} ({})", action, actor, target, result, e);
    }
  }

  private static String target(ContainerRequestContext request) {
    var parameters = request.getUriInfo().getPathParameters();
    return TARGET_PARAMETERS.stream()
        .map(parameters::getFirst)
        .filter(value -> value != null)
        .findFirst()
        .orElse(null);
  }
}
