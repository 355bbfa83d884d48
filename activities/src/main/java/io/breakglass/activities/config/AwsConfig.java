package io.breakglass.activities.config;

import java.net.URI;

/**
 * AWS SDK settings for the Secrets Manager and S3 adapters. Credentials always come from the
 * default provider chain (environment, profile, web identity, instance role), never from here.
 *
 * @param region the region (default: the SDK's default region provider)
 * @param secretsManagerEndpoint an endpoint override for Secrets Manager (VPC endpoint, tests)
 * @param s3Endpoint an endpoint override for S3 (VPC endpoint, S3-compatible stores, tests)
 * @param s3PathStyle address buckets by path rather than by host (S3-compatible stores)
 */
public record AwsConfig(
    String region, URI secretsManagerEndpoint, URI s3Endpoint, boolean s3PathStyle) {}
