package io.breakglass.api.auth;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.JSONUnauthorizedHandler;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

/**
 * Bearer authentication and role authorization for every resource method annotated with
 * {@code @RolesAllowed} or {@code @PermitAll}: a missing or unknown token gets 401, a caller
 * without the role 403. The token comes from the {@code Authorization} header only ({@link
 * HeaderBearerFilter}). A method with neither annotation would be open, so every resource method
 * carries one (a test checks it).
 */
public final class ApiAuth {

  private ApiAuth() {}

  public static void register(JerseyEnvironment jersey, AuthConfig config) {
    jersey.register(
        new AuthDynamicFeature(
            new HeaderBearerFilter.Builder()
                .setAuthenticator(new BearerAuthenticator(config))
                .setAuthorizer(new RoleAuthorizer())
                .setPrefix("Bearer")
                .setRealm("breakglass")
                .setUnauthorizedHandler(new JSONUnauthorizedHandler())
                .buildAuthFilter()));
    jersey.register(RolesAllowedDynamicFeature.class);
    jersey.register(new AuthValueFactoryProvider.Binder<>(Caller.class));
  }
}
