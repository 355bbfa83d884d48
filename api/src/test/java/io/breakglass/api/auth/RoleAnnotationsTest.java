package io.breakglass.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.breakglass.api.resources.AuditResource;
import io.breakglass.api.resources.CallerResource;
import io.breakglass.api.resources.ControlResource;
import io.breakglass.api.resources.GatesResource;
import io.breakglass.api.resources.PendingValueResource;
import io.breakglass.api.resources.RecoveryResource;
import io.breakglass.api.resources.ReportResource;
import io.breakglass.api.resources.RotationsResource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dropwizard's auth filter guards only resource methods annotated {@code @RolesAllowed} or
 * {@code @PermitAll}; an unannotated one would be open to anyone. Every resource method has one,
 * and every role named exists. (The authorization matrix proves the annotations are enforced.)
 */
class RoleAnnotationsTest {

  private static final List<Class<?>> RESOURCES =
      List.of(
          RotationsResource.class,
          ReportResource.class,
          GatesResource.class,
          ControlResource.class,
          PendingValueResource.class,
          AuditResource.class,
          CallerResource.class,
          RecoveryResource.class);

  @Test
  void everyResourceMethod_namesTheRolesThatMayCallIt() {
    assertThat(unguarded(RESOURCES)).isEmpty();
    assertThat(RESOURCES.stream().flatMap(RoleAnnotationsTest::resourceMethods))
        .hasSizeGreaterThan(10);
  }

  @Test
  void everyRoleNamed_isARoleTheAuthorizerKnows() {
    assertThat(
            RESOURCES.stream()
                .flatMap(RoleAnnotationsTest::resourceMethods)
                .map(m -> m.getAnnotation(RolesAllowed.class))
                .filter(a -> a != null)
                .flatMap(a -> Arrays.stream(a.value())))
        .isSubsetOf(Role.ALL);
  }

  @Test
  void negativeControl_aMethodWithoutRoles_isFound() {
    assertThat(unguarded(List.of(Forgotten.class))).containsExactly("Forgotten.open");
  }

  @Path("/forgotten")
  static final class Forgotten {
    @GET
    @Path("open")
    public String open() {
      return "anyone";
    }

    @GET
    @PermitAll
    public String guarded() {
      return "someone";
    }
  }

  private static List<String> unguarded(List<Class<?>> resources) {
    return resources.stream()
        .flatMap(RoleAnnotationsTest::resourceMethods)
        .filter(
            m ->
                !m.isAnnotationPresent(RolesAllowed.class)
                    && !m.isAnnotationPresent(PermitAll.class))
        .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
        .toList();
  }

  /** Methods JAX-RS serves: those with an HTTP method annotation (GET, POST, ...). */
  private static Stream<Method> resourceMethods(Class<?> resource) {
    return Arrays.stream(resource.getDeclaredMethods())
        .filter(
            m ->
                Arrays.stream(m.getAnnotations())
                    .map(Annotation::annotationType)
                    .anyMatch(type -> type.isAnnotationPresent(HttpMethod.class)));
  }
}
