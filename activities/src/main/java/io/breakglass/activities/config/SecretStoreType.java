package io.breakglass.activities.config;

/** Where a secret's versions live. */
public enum SecretStoreType {
  /** The local encrypted file store (development, or hosts without a managed store). */
  LOCAL,
  /** AWS Secrets Manager. */
  AWS_SECRETS_MANAGER,
  /** A HashiCorp Vault KV version 2 secrets engine ({@code rotation.vault}). */
  VAULT
}
