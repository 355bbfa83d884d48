package io.breakglass.activities.secrets.aws;

import io.breakglass.activities.config.AwsConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The Secrets Manager client the configuration describes: credentials from the default provider
 * chain (environment, profile, web identity, container or instance role), never from the file;
 * region and endpoint from {@link AwsConfig} when set, else the SDK's default region chain.
 */
public final class SecretsManagerClients {

  private SecretsManagerClients() {}

  /** A client for {@code config} (null: every default). */
  public static SecretsManagerClient open(AwsConfig config) {
    return builder(config)
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .build();
  }

  /** The builder without credentials, for callers (tests) that bring their own. */
  public static SecretsManagerClientBuilder builder(AwsConfig config) {
    SecretsManagerClientBuilder builder =
        SecretsManagerClient.builder().httpClientBuilder(Apache5HttpClient.builder());
    if (config != null && config.region() != null) {
      builder.region(Region.of(config.region()));
    }
    if (config != null && config.secretsManagerEndpoint() != null) {
      builder.endpointOverride(config.secretsManagerEndpoint());
    }
    return builder;
  }
}
