package io.breakglass.activities.data.s3;

import io.breakglass.activities.config.AwsConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The S3 client the adapters share, built from {@link AwsConfig}. */
public final class S3Endpoint {

  private S3Endpoint() {}

  /**
   * A client with credentials from the default provider chain (environment, profile, web identity,
   * instance role) and the Apache 5 HTTP client (the SDK's default synchronous client, as for
   * Secrets Manager). Thread-safe; close it when done.
   *
   * @param aws the region, endpoint override and addressing style; null for the SDK's defaults
   */
  public static S3Client client(AwsConfig aws) {
    return client(aws, ClientOverrideConfiguration.builder().build());
  }

  /** The same client with {@code overrides} (request interceptors, retry policy). */
  public static S3Client client(AwsConfig aws, ClientOverrideConfiguration overrides) {
    S3ClientBuilder builder =
        S3Client.builder()
            .overrideConfiguration(overrides)
            .httpClientBuilder(Apache5HttpClient.builder())
            .credentialsProvider(DefaultCredentialsProvider.builder().build());
    if (aws != null) {
      if (aws.region() != null) {
        builder.region(Region.of(aws.region()));
      }
      if (aws.s3Endpoint() != null) {
        builder.endpointOverride(aws.s3Endpoint());
      }
      builder.forcePathStyle(aws.s3PathStyle());
    }
    return builder.build();
  }
}
