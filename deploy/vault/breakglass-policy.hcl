# Breakglass's Vault policy: exactly the KV v2 calls its store makes for an API key kept at
# prod/openai-api-key in the "secret" mount (rotation.vault.paths: {openai: prod/openai-api-key}).
# Repeat the blocks per secret, with its path (the staged block only for API keys). "destroy" is never granted: retired versions are soft-deleted
# and stay recoverable. VaultPolicyTest holds these blocks against the store's calls.

# Versions: read one, write the next with check-and-set. The metadata is written first, so the
# key exists by then and a write is an "update".
path "secret/data/prod/openai-api-key" {
  capabilities = ["read", "update"]
}

# Labels and Breakglass's records live in custom_metadata.
path "secret/metadata/prod/openai-api-key" {
  capabilities = ["create", "read", "update"]
}

# Revoke and discard soft-delete a version; un-revoke restores it within the way back.
path "secret/delete/prod/openai-api-key" {
  capabilities = ["update"]
}

path "secret/undelete/prod/openai-api-key" {
  capabilities = ["update"]
}

# Operator-supplied values (API keys) wait here until the rotation that uses them.
path "secret/data/breakglass/staged/openai" {
  capabilities = ["create", "read", "update", "delete"]
}
