package io.breakglass.activities.deploy.ecs;

import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.EcsTarget;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.EcsClientBuilder;

/**
 * The ECS client of an ECS target: credentials from the default provider chain, never from the
 * file; region from {@link AwsConfig} when set, the endpoint from the target when it overrides it.
 */
public final class EcsClients {

  private EcsClients() {}

  public static EcsClient open(AwsConfig aws, EcsTarget target) {
    return builder(aws, target)
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .build();
  }

  /** The builder without credentials, for callers (tests) that bring their own. */
  public static EcsClientBuilder builder(AwsConfig aws, EcsTarget target) {
    EcsClientBuilder builder = EcsClient.builder().httpClientBuilder(Apache5HttpClient.builder());
    if (aws != null && aws.region() != null) {
      builder.region(Region.of(aws.region()));
    }
    if (target.endpoint() != null) {
      builder.endpointOverride(target.endpoint());
    }
    return builder;
  }
}
