package io.breakglass.api;

import io.breakglass.activities.audit.AuditLog;
import io.breakglass.activities.audit.BreakglassSchema;
import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.activities.config.RotationSettings;
import io.breakglass.activities.config.SecretConfig;
import io.breakglass.activities.lock.SecretLocks;
import io.breakglass.activities.lock.TemporalHolderWorkflows;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStores;
import io.breakglass.api.auth.ApiAuth;
import io.breakglass.api.console.ConsoleAssets;
import io.breakglass.api.core.AuditRecords;
import io.breakglass.api.core.Doctor;
import io.breakglass.api.core.PendingValues;
import io.breakglass.api.core.ProofCheck;
import io.breakglass.api.core.RevokeRecoveries;
import io.breakglass.api.core.RotationRecordReconciler;
import io.breakglass.api.core.RotationRecordSweep;
import io.breakglass.api.core.Rotations;
import io.breakglass.api.health.DatabaseHealth;
import io.breakglass.api.health.SecretStoreHealth;
import io.breakglass.api.health.TemporalHealth;
import io.breakglass.api.http.ApiExceptionMapper;
import io.breakglass.api.http.ApiMetrics;
import io.breakglass.api.http.AuditTrail;
import io.breakglass.api.http.BodySizeLimit;
import io.breakglass.api.http.JettyWireLog;
import io.breakglass.api.http.JsonErrorHandler;
import io.breakglass.api.http.RateLimits;
import io.breakglass.api.http.RequestMetrics;
import io.breakglass.api.http.StrictJson;
import io.breakglass.api.http.Utf8Bodies;
import io.breakglass.api.resources.AuditResource;
import io.breakglass.api.resources.CallerResource;
import io.breakglass.api.resources.ControlResource;
import io.breakglass.api.resources.DoctorResource;
import io.breakglass.api.resources.GatesResource;
import io.breakglass.api.resources.PendingValueResource;
import io.breakglass.api.resources.RecoveryResource;
import io.breakglass.api.resources.ReportResource;
import io.breakglass.api.resources.RotationsResource;
import io.breakglass.worker.TemporalConnection;
import io.breakglass.worker.tracing.Tracing;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import org.glassfish.jersey.server.ServerProperties;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator API in a Dropwizard environment: a Temporal client (no worker), Breakglass's own
 * database for the rotation list, the audit log and the secret locks, the secret store for pending
 * values; bearer authentication, roles, size and rate limits, one audit row per call, one error
 * shape; health checks and Prometheus metrics on the admin port.
 */
public final class OperatorApi {

  private OperatorApi() {}

  public static void register(BreakglassConfiguration configuration, Environment environment) {
    ApiConfig api = configuration.getApi();
    RotationSettings settings = configuration.getRotation().toRotationSettings();
    DataSourceFactory ownFactory =
        configuration.getDatabases().get(BreakglassConfiguration.BREAKGLASS_DATABASE);
    if (ownFactory == null) {
      throw new IllegalArgumentException(
          "databases."
              + BreakglassConfiguration.BREAKGLASS_DATABASE
              + " is required (rotation list and audit log)");
    }
    ManagedDataSource own =
        ownFactory.build(environment.metrics(), BreakglassConfiguration.BREAKGLASS_DATABASE);
    environment.lifecycle().manage(own);
    BreakglassSchema.migrate(own);
    Jdbi jdbi = Jdbi.create(own);
    AuditLog audit = new AuditLog(jdbi);
    // The worker's own factory: a pending value is staged where CREATE_VERSION reads it.
    SecretStore store = SecretStores.open(settings);

    ApiMetrics metrics = new ApiMetrics();
    environment.lifecycle().manage(metrics);
    Tracing tracing = Tracing.start(configuration.getTracing());
    TemporalConnection temporal =
        TemporalConnection.open(configuration.getTemporal(), metrics.scope(), tracing);
    environment
        .lifecycle()
        .manage(
            new Managed() {
              @Override
              public void stop() {
                temporal.close();
                tracing.close();
              }
            });
    ProofCheck proofs = new ProofCheck(api.auth().oidc(), Clock.systemUTC());
    RotationHistory history = new RotationHistory(jdbi);
    RotationRecordReconciler records =
        new RotationRecordReconciler(temporal.client(), history, Clock.systemUTC());
    environment.lifecycle().manage(new RotationRecordSweep(records, RotationRecordSweep.EVERY));
    Rotations rotations =
        new Rotations(
            temporal.client(),
            configuration.getTemporal().taskQueue(),
            history,
            records,
            settings,
            new SecretLocks(jdbi, new TemporalHolderWorkflows(temporal.client())),
            proofs);

    StrictJson.configure(environment.getObjectMapper());
    if (configuration.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
    }
    JettyWireLog.keepBodiesOut();
    environment.getApplicationContext().setErrorHandler(new JsonErrorHandler());
    environment.getAdminContext().setErrorHandler(new JsonErrorHandler());
    environment.lifecycle().addEventListener(JsonErrorHandler.onServerStart());
    JerseyEnvironment jersey = environment.jersey();
    // A Location the API sends stays relative: resolving it would copy the caller's Host header.
    jersey.property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
    jersey.register(new ApiExceptionMapper());
    jersey.register(new ApiExceptionMapper.Violations());
    jersey.register(new Utf8Bodies());
    jersey.register(new BodySizeLimit(api.limits().maxBodyBytes()));
    jersey.register(new RequestMetrics(metrics.registry()));
    ApiAuth.register(jersey, api.auth());
    jersey.register(new RateLimits(api.limits()));
    jersey.register(new AuditTrail(audit));
    jersey.register(new RotationsResource(rotations));
    jersey.register(new ReportResource(rotations));
    jersey.register(new GatesResource(rotations));
    jersey.register(new ControlResource(rotations));
    jersey.register(new PendingValueResource(new PendingValues(settings, store)));
    jersey.register(
        new RecoveryResource(
            new RevokeRecoveries(
                temporal.client(),
                configuration.getTemporal().taskQueue(),
                new RotationHistory(jdbi),
                settings,
                Clock.systemUTC(),
                proofs)));
    jersey.register(new AuditResource(new AuditRecords(audit)));
    jersey.register(
        new DoctorResource(
            new Doctor(
                store, settings.secrets().stream().map(SecretConfig::name).toList(), records)));
    jersey.register(new CallerResource());

    environment.healthChecks().register("temporal", new TemporalHealth(temporal.stubs()));
    environment.healthChecks().register("postgresql", new DatabaseHealth(own));
    environment
        .healthChecks()
        .register("secret-store", SecretStoreHealth.ofEachStore(store, settings));
    environment.admin().addServlet("prometheus", metrics.servlet()).addMapping("/prometheus");
    ConsoleAssets.register(environment);
  }
}
